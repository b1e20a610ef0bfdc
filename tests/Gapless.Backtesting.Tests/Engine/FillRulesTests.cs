using Gapless.Core.Model;
using static Gapless.Backtesting.Tests.TestBars;

namespace Gapless.Backtesting.Tests.Engine;

/// <summary>When and at what price each order type fills: never on the bar that placed it, gaps fill at the open.</summary>
public sealed class FillRulesTests
{
    private const double Tolerance = 1e-9;

    private static BacktestResult RunOne(Action<Backtesting.Strategies.StrategyContext> placeAtBar0, BacktestOptions? options, params (decimal O, decimal H, decimal L, decimal C)[] bars)
        => BacktestEngine.Run(new ScriptedStrategy().On(0, placeAtBar0), "X", Timeframe.H1, Hourly(bars), options);

    [Fact]
    public void MarketOrder_NeverFillsOnTheBarThatPlacedIt_FillsAtTheNextOpen()
    {
        // Bar 0 closes at 100 with a high of 120: a look-ahead engine would fill at 100 (its close) or in its range.
        var result = RunOne(c => c.Buy(0, 1), null, (90m, 120m, 80m, 100m), (107m, 108m, 106m, 107.5m));

        var fill = Assert.Single(result.Fills);
        Assert.Equal(107, fill.Price); // bar 1's open
        Assert.Equal(OpenOf(1), fill.TimeMs);
        Assert.Equal(10_000, result.Equity[0].Equity); // bar 0's point: nothing filled yet
        Assert.False(result.Equity[0].InMarket);
        Assert.Equal(10_000 - 107 + 107.5, result.Equity[1].Equity, Tolerance);
    }

    [Fact]
    public void MarketOrder_PlacedOnTheLastBar_StaysWorking()
    {
        var result = BacktestEngine.Run(new ScriptedStrategy().On(1, c => c.Buy(0, 1)), "X", Timeframe.H1, Hourly((100m, 101m, 99m, 100m), (100m, 101m, 99m, 100m)));

        Assert.Empty(result.Fills);
        var order = Assert.Single(result.Orders);
        Assert.Equal((OrderStatus.Working, (long?)null), (order.Status, order.ClosedAtMs));
    }

    [Fact]
    public void StrategyOnTheNextBar_SeesTheFillAndItsPosition()
    {
        double position = double.NaN, cash = double.NaN;
        var strategy = new ScriptedStrategy().On(0, c => c.Buy(0, 2)).On(1, c => (position, cash) = (c.Position(0), c.Cash));

        BacktestEngine.Run(strategy, "X", Timeframe.H1, Hourly((100m, 100m, 100m, 100m), (101m, 102m, 100m, 101m)));

        Assert.Equal(2, position);
        Assert.Equal(10_000 - 202, cash);
    }

    // Slippage 20 bps everywhere, to show which fills it applies to (market and stop) and which it does not (limit).
    [Theory]
    [InlineData(OrderType.Limit, OrderSide.Buy, 98.5, 100, 101, 97, 99, 98.5)] // low reaches the limit: the limit
    [InlineData(OrderType.Limit, OrderSide.Buy, 98.5, 97, 99, 96, 98, 97)] // opens below it: the open, better
    [InlineData(OrderType.Limit, OrderSide.Sell, 105, 103, 106, 102, 104, 105)] // high reaches it: the limit
    [InlineData(OrderType.Limit, OrderSide.Sell, 105, 107, 108, 104, 106, 107)] // opens above it: the open
    [InlineData(OrderType.Stop, OrderSide.Buy, 103, 101, 104, 100, 102, 103.206)] // 103 × 1.002
    [InlineData(OrderType.Stop, OrderSide.Buy, 103, 105, 106, 104, 105, 105.21)] // gaps through: 105 × 1.002
    [InlineData(OrderType.Stop, OrderSide.Sell, 95, 97, 98, 94, 96, 94.81)] // 95 × 0.998
    [InlineData(OrderType.Stop, OrderSide.Sell, 95, 93, 94, 92, 93, 92.814)] // gaps through: 93 × 0.998
    [InlineData(OrderType.Market, OrderSide.Buy, 0, 100, 101, 99, 100, 100.2)] // 100 × 1.002
    [InlineData(OrderType.Market, OrderSide.Sell, 0, 100, 101, 99, 100, 99.8)] // 100 × 0.998
    public void Order_OnTheNextBar_FillsAtTheExpectedPrice(OrderType type, OrderSide side, double price, double o, double h, double l, double c, double expected)
    {
        var result = RunOne(
            ctx => ctx.PlaceOrder(0, side, type, 1, type == OrderType.Market ? null : price),
            new BacktestOptions { SlippageBps = 20 },
            (100m, 100m, 100m, 100m),
            ((decimal)o, (decimal)h, (decimal)l, (decimal)c));

        var fill = Assert.Single(result.Fills);
        Assert.Equal(expected, fill.Price, Tolerance);
        Assert.Equal(OpenOf(1), fill.TimeMs);
    }

    [Theory]
    [InlineData(OrderType.Limit, OrderSide.Buy, 95)]
    [InlineData(OrderType.Limit, OrderSide.Sell, 105)]
    [InlineData(OrderType.Stop, OrderSide.Buy, 105)]
    [InlineData(OrderType.Stop, OrderSide.Sell, 95)]
    public void Order_WhoseTriggerTheRangeMisses_KeepsWorkingUntilABarReachesIt(OrderType type, OrderSide side, double price)
    {
        // Bars 1-2 stay within 98-102; bar 3 spans 90-110 and opens at 100, so it reaches every trigger inside its range.
        var result = RunOne(
            ctx => ctx.PlaceOrder(0, side, type, 1, price),
            null,
            (100m, 100m, 100m, 100m),
            (100m, 102m, 98m, 101m),
            (101m, 102m, 98m, 100m),
            (100m, 110m, 90m, 100m));

        var fill = Assert.Single(result.Fills);
        Assert.Equal(OpenOf(3), fill.TimeMs);
        Assert.Equal(price, fill.Price, Tolerance);
    }

    [Fact]
    public void LimitOrder_Cancelled_NeverFills()
    {
        var strategy = new ScriptedStrategy().On(0, c => c.BuyLimit(0, 1, 90)).On(1, c => Assert.Equal(1, c.CancelAll(0)));
        var result = BacktestEngine.Run(strategy, "X", Timeframe.H1, Hourly((100m, 100m, 100m, 100m), (100m, 101m, 95m, 100m), (100m, 100m, 80m, 85m)));

        Assert.Empty(result.Fills);
        Assert.Equal((OrderStatus.Cancelled, (long?)CloseOf(1)), (result.Orders[0].Status, result.Orders[0].ClosedAtMs));
    }

    [Fact]
    public void Commission_BpsOfNotionalPlusPerOrderFee_ChargedOnEachFill()
    {
        // Buy 3 at 200 (no slippage): notional 600; 25 bps = 1.5; + 4 per order = 5.5. Cash 10,000 − 600 − 5.5 = 9,394.5.
        var result = RunOne(c => c.Buy(0, 3), new BacktestOptions { CommissionBps = 25, FeePerOrder = 4 }, (100m, 100m, 100m, 100m), (200m, 200m, 200m, 200m));

        Assert.Equal(5.5, result.Fills[0].Commission, Tolerance);
        Assert.Equal(9_394.5, result.Equity[1].Cash, Tolerance);
        Assert.Equal(9_994.5, result.Equity[1].Equity, Tolerance);
    }

    [Fact]
    public void Short_ProfitsWhenThePriceFalls_AndAFlipOpensTheOtherSide()
    {
        // No costs. Bar 0: sell 4 (short) → fills at bar 1's open 50. Bar 1: buy 10 → fills at bar 2's open 40:
        // covers the 4 (gain (50 − 40) × 4 = 40) and opens a long 6 at 40. Bar 3 closes at 45: long gains 6 × 5 = 30.
        var strategy = new ScriptedStrategy().On(0, c => c.Sell(0, 4)).On(1, c => c.Buy(0, 10));
        var result = BacktestEngine.Run(strategy, "X", Timeframe.H1, Hourly((50m, 50m, 50m, 50m), (50m, 51m, 44m, 45m), (40m, 41m, 39m, 41m), (41m, 46m, 41m, 45m)));

        var cover = Assert.Single(result.Trades);
        Assert.Equal((PositionSide.Short, 4.0, 50.0, 40.0, 40.0), (cover.Side, cover.Quantity, cover.EntryPrice, cover.ExitPrice, cover.Pnl));
        var open = Assert.Single(result.OpenTrades);
        Assert.Equal((PositionSide.Long, 6.0, 40.0, 45.0, 30.0), (open.Side, open.Quantity, open.EntryPrice, open.ExitPrice, open.Pnl));

        // Short 4 marked at bar 1's close 45: cash 10,200, position −180 → 10,020. Then cash 10,200 − 400 = 9,800, long 6.
        Assert.Equal((10_200.0, -180.0, 10_020.0), (result.Equity[1].Cash, result.Equity[1].PositionValue, result.Equity[1].Equity));
        Assert.Equal(10_070, result.Equity[3].Equity, Tolerance);
    }

    [Fact]
    public void FlipFill_SplitsItsCommissionProRata()
    {
        // Commission 100 bps, no fixed fee. Buy 4 at 50: fee 2. Sell 10 at 60: notional 600, fee 6, of which 4/10
        // (2.4) closes the long and 6/10 (3.6) opens the short. Long trade: (60 − 50) × 4 − 2 − 2.4 = 35.6.
        var strategy = new ScriptedStrategy().On(0, c => c.Buy(0, 4)).On(1, c => c.Sell(0, 10));
        var result = BacktestEngine.Run(strategy, "X", Timeframe.H1, Hourly((50m, 50m, 50m, 50m), (50m, 50m, 50m, 50m), (60m, 60m, 60m, 60m)), new BacktestOptions { CommissionBps = 100 });

        var trade = Assert.Single(result.Trades);
        Assert.Equal(4.4, trade.Fees, Tolerance);
        Assert.Equal(35.6, trade.Pnl, Tolerance);
        var open = Assert.Single(result.OpenTrades);
        Assert.Equal((PositionSide.Short, 6.0), (open.Side, open.Quantity));
        Assert.Equal(3.6, open.Fees, Tolerance);
        Assert.Equal(-3.6, open.Pnl, Tolerance);
    }

    [Fact]
    public void PartialClose_MatchesTheOldestLotFirst()
    {
        // Buy 2 at 10, buy 3 at 20, sell 4 at 30: closes lot 1 (2 × (30 − 10) = 40) then 2 of lot 2 (2 × (30 − 20) = 20).
        var strategy = new ScriptedStrategy().On(0, c => c.Buy(0, 2)).On(1, c => c.Buy(0, 3)).On(2, c => c.Sell(0, 4));
        var result = BacktestEngine.Run(strategy, "X", Timeframe.H1, Hourly((10m, 10m, 10m, 10m), (10m, 10m, 10m, 10m), (20m, 20m, 20m, 20m), (30m, 30m, 30m, 30m)));

        Assert.Equal([(2.0, 10.0, 40.0), (2.0, 20.0, 20.0)], result.Trades.Select(t => (t.Quantity, t.EntryPrice, t.Pnl)));
        var rest = Assert.Single(result.OpenTrades);
        Assert.Equal((1.0, 20.0, OpenOf(2)), (rest.Quantity, rest.EntryPrice, rest.EntryTimeMs));
    }

    [Fact]
    public void SellingWhatWasBoughtInPieces_LeavesNoRoundingDust()
    {
        // 0.1 + 0.1 + 0.1 is 0.30000000000000004 in double; selling 0.3 must still leave the account flat.
        var strategy = new ScriptedStrategy().On(0, c => c.Buy(0, 0.1)).On(1, c => c.Buy(0, 0.1)).On(2, c => c.Buy(0, 0.1)).On(3, c => c.Sell(0, 0.3));
        var result = BacktestEngine.Run(strategy, "X", Timeframe.H1, Hourly((10m, 10m, 10m, 10m), (10m, 10m, 10m, 10m), (10m, 10m, 10m, 10m), (10m, 10m, 10m, 10m), (12m, 12m, 12m, 12m)));

        Assert.Equal(3, result.Trades.Count);
        Assert.Empty(result.OpenTrades);
        Assert.False(result.Equity[^1].InMarket);
        Assert.Equal(0, result.Equity[^1].PositionValue);
        Assert.Equal(10_000 + 0.6, result.Equity[^1].Equity, 1e-9); // (12 − 10) × 0.3
    }
}
