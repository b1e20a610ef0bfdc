using static Gapless.Backtesting.Tests.TestBars;

namespace Gapless.Backtesting.Tests.Engine;

/// <summary>
/// Ten hourly bars and a script of orders, every number worked out by hand below: fills, fees, slippage, cash,
/// positions, trades, the equity curve and the final equity.
/// </summary>
public sealed class ScenarioTests
{
    private const double Tolerance = 1e-9;

    // Cash 10,000; commission 10 bps (0.001 × notional) + 2 per order; slippage 10 bps (× 1.001 buying, × 0.999 selling)
    // on market and stop fills, none on limit fills.
    private static readonly BacktestOptions Costs = new() { InitialCash = 10_000, CommissionBps = 10, FeePerOrder = 2, SlippageBps = 10 };

    private static readonly Gapless.Core.Model.BarFrame Bars = Hourly(
        (100m, 102m, 99m, 101m),  // 0: buy 10 at market
        (101m, 103m, 100m, 102m), // 1: fill #1 at the open; place sell limit 10 @ 104.5
        (102m, 105m, 101m, 104m), // 2: fill #2 (high 105 reaches 104.5); sell 5 at market (open a short)
        (104m, 106m, 103m, 105m), // 3: fill #3 at the open; buy limit 5 @ 97.5 to cover
        (103m, 104m, 98m, 99m),   // 4: low 98 misses 97.5: #4 keeps working
        (99m, 100m, 95m, 96m),    // 5: fill #4 at 97.5; buy limit 10 @ 95.5
        (94m, 97m, 93m, 96m),     // 6: opens at 94, below 95.5: fill #5 at 94 (gap-through); sell stop 10 @ 95.5, sell limit 10 @ 110
        (96m, 99m, 95m, 98m),     // 7: low 95 reaches the stop: fill #6; cancel #7; sell 3 at market
        (98m, 101m, 97m, 100m),   // 8: fill #8 at the open (short 3)
        (100m, 102m, 99m, 101m)); // 9: end, short 3 marked at 101

    private static BacktestResult Run()
    {
        var strategy = new ScriptedStrategy()
            .On(0, c => c.Buy(0, 10))
            .On(1, c => c.SellLimit(0, 10, 104.5))
            .On(2, c => c.Sell(0, 5))
            .On(3, c => c.BuyLimit(0, 5, 97.5))
            .On(5, c => c.BuyLimit(0, 10, 95.5))
            .On(6, c =>
            {
                c.SellStop(0, 10, 95.5);
                c.SellLimit(0, 10, 110);
            })
            .On(7, c =>
            {
                Assert.False(c.Cancel(6)); // the stop filled on this bar already
                Assert.True(c.Cancel(7));
                Assert.False(c.Cancel(7));
                c.Sell(0, 3);
            });
        return BacktestEngine.Run(strategy, "X", Gapless.Core.Model.Timeframe.H1, Bars, Costs);
    }

    [Fact]
    public void Fills_PricesFeesAndSlippage_MatchHandComputation()
    {
        var fills = Run().Fills;

        // #1 market buy 10 at bar 1's open 101 × 1.001 = 101.101; notional 1,011.01; fee 1.01101 + 2 = 3.01101.
        // #2 sell limit 10 @ 104.5 on bar 2 (open 102, high 105): 104.5, no slippage; notional 1,045; fee 1.045 + 2 = 3.045.
        // #3 market sell 5 at bar 3's open 104 × 0.999 = 103.896; notional 519.48; fee 0.51948 + 2 = 2.51948.
        // #4 buy limit 5 @ 97.5: bar 4's low 98 misses, bar 5's low 95 reaches it: 97.5; notional 487.5; fee 0.4875 + 2 = 2.4875.
        // #5 buy limit 10 @ 95.5, bar 6 opens at 94: 94 (gap-through, the better price); notional 940; fee 0.94 + 2 = 2.94.
        // #6 sell stop 10 @ 95.5, bar 7 opens 96 and its low 95 reaches it: 95.5 × 0.999 = 95.4045; notional 954.045; fee 0.954045 + 2 = 2.954045.
        // #8 market sell 3 at bar 8's open 98 × 0.999 = 97.902; notional 293.706; fee 0.293706 + 2 = 2.293706.
        var expected = new (int Order, OrderSide Side, double Qty, double Price, double Fee, double Slip, long Time)[]
        {
            (1, OrderSide.Buy, 10, 101.101, 3.01101, 1.01, OpenOf(1)),
            (2, OrderSide.Sell, 10, 104.5, 3.045, 0, OpenOf(2)),
            (3, OrderSide.Sell, 5, 103.896, 2.51948, 0.52, OpenOf(3)),
            (4, OrderSide.Buy, 5, 97.5, 2.4875, 0, OpenOf(5)),
            (5, OrderSide.Buy, 10, 94, 2.94, 0, OpenOf(6)),
            (6, OrderSide.Sell, 10, 95.4045, 2.954045, 0.955, OpenOf(7)),
            (8, OrderSide.Sell, 3, 97.902, 2.293706, 0.294, OpenOf(8)),
        };
        Assert.Equal(expected.Length, fills.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            var (order, side, qty, price, fee, slip, time) = expected[i];
            var f = fills[i];
            Assert.Equal((order, side, qty, time), (f.OrderId, f.Side, f.Quantity, f.TimeMs));
            Assert.Equal(price, f.Price, Tolerance);
            Assert.Equal(fee, f.Commission, Tolerance);
            Assert.Equal(slip, f.Slippage, Tolerance);
        }
    }

    [Fact]
    public void Orders_EndAsFilledCancelledOrWorking_WithTheirTimes()
    {
        var orders = Run().Orders;
        Assert.Equal(8, orders.Count);
        Assert.All(orders.Where(o => o.Id != 7), o => Assert.Equal(OrderStatus.Filled, o.Status));
        var cancelled = orders[6];
        Assert.Equal((7, OrderType.Limit, 110.0, OrderStatus.Cancelled, CloseOf(6), CloseOf(7)), (cancelled.Id, cancelled.Type, cancelled.Price!.Value, cancelled.Status, cancelled.PlacedAtMs, cancelled.ClosedAtMs!.Value));
        Assert.Null(cancelled.FillPrice);

        // Placed at the close of the bar the strategy saw; filled at the open of a later bar.
        Assert.Equal((CloseOf(0), OpenOf(1), (double?)null), (orders[0].PlacedAtMs, orders[0].ClosedAtMs!.Value, orders[0].Price));
        Assert.Equal((CloseOf(3), OpenOf(5)), (orders[3].PlacedAtMs, orders[3].ClosedAtMs!.Value));
    }

    [Fact]
    public void Trades_LongShortLong_AndAnOpenShort_MatchHandComputation()
    {
        var result = Run();

        // 1: long 10, 101.101 → 104.5: gross 33.99, fees 3.01101 + 3.045 = 6.05601, net 27.93399.
        // 2: short 5, 103.896 → 97.5: gross (103.896 − 97.5) × 5 = 31.98, fees 2.51948 + 2.4875 = 5.00698, net 26.97302.
        // 3: long 10, 94 → 95.4045: gross 14.045, fees 2.94 + 2.954045 = 5.894045, net 8.150955.
        var expected = new (PositionSide Side, double Qty, long In, double Entry, long Out, double Exit, double Fees, double Pnl)[]
        {
            (PositionSide.Long, 10, OpenOf(1), 101.101, OpenOf(2), 104.5, 6.05601, 27.93399),
            (PositionSide.Short, 5, OpenOf(3), 103.896, OpenOf(5), 97.5, 5.00698, 26.97302),
            (PositionSide.Long, 10, OpenOf(6), 94, OpenOf(7), 95.4045, 5.894045, 8.150955),
        };
        Assert.Equal(expected.Length, result.Trades.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            var e = expected[i];
            var t = result.Trades[i];
            Assert.Equal((e.Side, e.Qty, e.In, e.Out, false), (t.Side, t.Quantity, t.EntryTimeMs, t.ExitTimeMs, t.IsOpen));
            Assert.Equal(e.Entry, t.EntryPrice, Tolerance);
            Assert.Equal(e.Exit, t.ExitPrice, Tolerance);
            Assert.Equal(e.Fees, t.Fees, Tolerance);
            Assert.Equal(e.Pnl, t.Pnl, Tolerance);
        }

        // Still short 3 from 97.902, marked at the last close 101: gross (97.902 − 101) × 3 = −9.294, entry fee 2.293706, net −11.587706.
        var open = Assert.Single(result.OpenTrades);
        Assert.Equal((PositionSide.Short, 3.0, OpenOf(8), CloseOf(9), true), (open.Side, open.Quantity, open.EntryTimeMs, open.ExitTimeMs, open.IsOpen));
        Assert.Equal(101, open.ExitPrice, Tolerance);
        Assert.Equal(-11.587706, open.Pnl, Tolerance);
    }

    [Fact]
    public void EquityCurve_EveryBar_MatchesHandComputation()
    {
        var curve = Run().Equity;

        // Cash after each fill:
        //   #1 10,000 − 1,011.01 − 3.01101 = 8,985.97899     #2 + 1,045 − 3.045 = 10,027.93399
        //   #3 + 519.48 − 2.51948 = 10,544.89451              #4 − 487.5 − 2.4875 = 10,054.90701
        //   #5 − 940 − 2.94 = 9,111.96701                     #6 + 954.045 − 2.954045 = 10,063.057965
        //   #8 + 293.706 − 2.293706 = 10,354.470259
        // Equity at each close = cash + position × close.
        var expected = new (double Cash, double Position, bool InMarket)[]
        {
            (10_000, 0, false),             // 0: the buy is only placed
            (8_985.97899, 10 * 102, true),  // 1: 10,005.97899
            (10_027.93399, 0, false),       // 2: flat again
            (10_544.89451, -5 * 105, true), // 3: 10,019.89451
            (10_544.89451, -5 * 99, true),  // 4: 10,049.89451
            (10_054.90701, 0, false),       // 5
            (9_111.96701, 10 * 96, true),   // 6: 10,071.96701 (the peak)
            (10_063.057965, 0, false),      // 7
            (10_354.470259, -3 * 100, true), // 8: 10,054.470259
            (10_354.470259, -3 * 101, true), // 9: 10,051.470259
        };
        Assert.Equal(expected.Length, curve.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            var p = curve[i];
            Assert.Equal(CloseOf(i), p.TimeMs);
            Assert.Equal(expected[i].Cash, p.Cash, Tolerance);
            Assert.Equal(expected[i].Position, p.PositionValue, Tolerance);
            Assert.Equal(expected[i].Cash + expected[i].Position, p.Equity, Tolerance);
            Assert.Equal(expected[i].InMarket, p.InMarket);
        }

        Assert.Equal(10_051.470259, curve[^1].Equity, Tolerance);
        Assert.Equal((10_071.96701 - 10_051.470259) / 10_071.96701, curve[^1].Drawdown, Tolerance);
        Assert.Equal((10_027.93399 - 10_019.89451) / 10_027.93399, curve[3].Drawdown, Tolerance);
    }

    [Fact]
    public void Metrics_OfTheScenario_MatchHandComputation()
    {
        var m = Run().Metrics;

        Assert.Equal(10_051.470259, m.FinalEquity, Tolerance);
        Assert.Equal(0.0051470259, m.TotalReturn, 12);
        Assert.Equal(3, m.Trades);
        Assert.Equal(1.0, m.WinRate);
        Assert.Null(m.ProfitFactor); // no losing trade
        Assert.Equal(0.6, m.Exposure, 12); // bars 1, 3, 4, 6, 8, 9
        Assert.Equal(3.01101 + 3.045 + 2.51948 + 2.4875 + 2.94 + 2.954045 + 2.293706, m.TotalFees, Tolerance);
        Assert.Equal((10_071.96701 - 10_051.470259) / 10_071.96701, m.MaxDrawdown, Tolerance);
        Assert.Equal((CloseOf(6), CloseOf(9)), (m.MaxDrawdownPeakMs, m.MaxDrawdownTroughMs));
        Assert.Null(m.MaxDrawdownRecoveryMs);
        Assert.Equal(365.25 * 24, m.BarsPerYear);
        Assert.Equal(10, m.Steps);
    }

    [Fact]
    public void Accounting_EquityGain_EqualsClosedPlusOpenTradePnl()
    {
        var result = Run();
        var pnl = result.Trades.Sum(t => t.Pnl) + result.OpenTrades.Sum(t => t.Pnl);
        Assert.Equal(result.Metrics.FinalEquity - 10_000, pnl, Tolerance);
    }
}
