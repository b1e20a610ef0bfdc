using Gapless.Backtesting.Strategies;
using Gapless.Core.Model;
using static Gapless.Backtesting.Tests.TestBars;

namespace Gapless.Backtesting.Tests.Strategies;

public sealed class BreakoutTests
{
    [Fact]
    public void Breakout_EntersOnACloseAboveThePriorHighs_ExitsOnACloseBelowThePriorLows()
    {
        var bars = Hourly(
            (10m, 10.5m, 9.5m, 10m),      // 0
            (10m, 11m, 9.8m, 10.5m),      // 1
            (10.5m, 10.8m, 10m, 10.2m),   // 2
            (10.2m, 10.9m, 9.9m, 10.6m),  // 3: channel of bars 0-2: high 11, low 9.5; 10.6 inside
            (10.6m, 11.3m, 10.5m, 11.2m), // 4: channel 1-3: high 11; 11.2 > 11 → buy (its own high 11.3 is not in the channel)
            (11.2m, 11.5m, 11m, 11.4m),   // 5: channel 2-4: low 9.9; nothing
            (11.4m, 11.6m, 11.1m, 11.5m), // 6: channel 3-5: low 9.9; nothing
            (11.5m, 11.5m, 10.4m, 10.45m), // 7: channel 4-6: low 10.5; 10.45 < 10.5 → sell (its own low 10.4 is not in it)
            (10.4m, 10.6m, 10.3m, 10.5m)); // 8: fills the sell at 10.4

        var result = BacktestEngine.Run(BuiltInStrategies.Create("breakout", new Dictionary<string, string> { ["lookback"] = "3", ["qty"] = "1" }), "X", Timeframe.H1, bars);

        Assert.Equal([(OrderSide.Buy, CloseOf(4)), (OrderSide.Sell, CloseOf(7))], result.Orders.Select(o => (o.Side, o.PlacedAtMs)));
        var trade = Assert.Single(result.Trades);
        Assert.Equal((11.2, 10.4), (trade.EntryPrice, trade.ExitPrice));
    }

    [Fact]
    public void Breakout_DeclaresItsLookbackAsWarmup()
        => Assert.Equal(55, BuiltInStrategies.Create("breakout", new Dictionary<string, string> { ["lookback"] = "55" }).WarmupBars);
}
