using Gapless.Backtesting.Strategies;
using Gapless.Core.Model;
using static Gapless.Backtesting.Tests.TestBars;

namespace Gapless.Backtesting.Tests.Strategies;

public sealed class SmaCrossTests
{
    // Closes of a hand-built path; each bar opens at the previous close.
    private static readonly decimal[] Closes = [10, 10, 10, 10, 10, 12, 14, 16, 14, 10, 8, 8, 8, 12, 16];

    // fast = SMA(2), slow = SMA(4), diff = fast − slow at each close:
    //   bar 3: 10 − 10 = 0          bar 4: 10 − 10 = 0
    //   bar 5: 11 − 10.5 = +0.5     ← crosses above (0 → +0.5): buy
    //   bar 6: 13 − 11.5 = +1.5     bar 7: 15 − 13 = +2     bar 8: 15 − 14 = +1
    //   bar 9: 12 − 13.5 = −1.5     ← crosses below: sell
    //   bar 10: 9 − 12 = −3         bar 11: 8 − 10 = −2     bar 12: 8 − 8.5 = −0.5
    //   bar 13: 10 − 9 = +1         ← crosses above: buy
    //   bar 14: 14 − 11 = +3
    private static readonly Dictionary<string, string> Params = new() { ["fast"] = "2", ["slow"] = "4", ["qty"] = "10" };

    [Fact]
    public void SmaCross_TradesExactlyAtTheCrossoverBars()
    {
        var result = BacktestEngine.Run(BuiltInStrategies.Create("sma-cross", Params), "X", Timeframe.H1, FromCloses(Hour, Closes));

        Assert.Equal(
            [(OrderSide.Buy, CloseOf(5)), (OrderSide.Sell, CloseOf(9)), (OrderSide.Buy, CloseOf(13))],
            result.Orders.Select(o => (o.Side, o.PlacedAtMs)));

        // Filled at the next opens: bar 6 opens at 12 (bar 5's close), bar 10 at 10, bar 14 at 12.
        Assert.Equal([(12.0, OpenOf(6)), (10.0, OpenOf(10)), (12.0, OpenOf(14))], result.Fills.Select(f => (f.Price, f.TimeMs)));
        var trade = Assert.Single(result.Trades);
        Assert.Equal((10.0, 12.0, 10.0, -20.0), (trade.Quantity, trade.EntryPrice, trade.ExitPrice, trade.Pnl));
        Assert.Equal(40.0, Assert.Single(result.OpenTrades).Pnl); // 10 × (16 − 12)
    }

    [Fact]
    public void SmaCross_WithItsWarmupBeforeTheRange_TradesTheSameBars()
    {
        var strategy = BuiltInStrategies.Create("sma-cross", Params);
        Assert.Equal(4, strategy.WarmupBars);
        var range = new TimeRange(OpenOf(4), OpenOf(Closes.Length)); // bars 0-3 are the 4 warm-up bars

        var result = BacktestEngine.Run(strategy, "X", Timeframe.H1, FromCloses(Hour, Closes), new BacktestOptions { Range = range });

        Assert.Equal([CloseOf(5), CloseOf(9), CloseOf(13)], result.Orders.Select(o => o.PlacedAtMs));
        Assert.Equal(11, result.Equity.Count);
    }

    [Fact]
    public void SmaCross_ByDefault_GoesAllInAtTheSignalClose()
    {
        var result = BacktestEngine.Run(BuiltInStrategies.Create("sma-cross", new Dictionary<string, string> { ["fast"] = "2", ["slow"] = "4" }), "X", Timeframe.H1, FromCloses(Hour, Closes));

        // fraction 1: 10,000 / 12 (bar 5's close) units.
        Assert.Equal(10_000.0 / 12, result.Fills[0].Quantity, 1e-9);
    }
}
