using Gapless.Backtesting.Strategies;
using Gapless.Core.Errors;
using Gapless.Core.Model;
using static Gapless.Backtesting.Tests.TestBars;

namespace Gapless.Backtesting.Tests.Engine;

public sealed class EngineValidationTests
{
    private static readonly BarFrame TwoBars = Hourly((1m, 1m, 1m, 1m), (2m, 2m, 2m, 2m));

    [Theory]
    [InlineData(-1, 0, 0, "commission must be from 0 to under 10,000 bps, got -1")]
    [InlineData(0, -2, 0, "fee per order must not be negative, got -2")]
    [InlineData(0, 0, -3, "slippage must be from 0 to under 10,000 bps, got -3")]
    public void BadOption_IsRefused_NamingTheOptionAndValue(double bps, double fee, double slippage, string message)
    {
        var options = new BacktestOptions { CommissionBps = bps, FeePerOrder = fee, SlippageBps = slippage };

        var error = Assert.Throws<InvalidRequestException>(() => BacktestEngine.Run(new ScriptedStrategy(), "X", Timeframe.H1, TwoBars, options));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void ZeroCash_IsRefused()
        => Assert.Equal(
            "initial cash must be positive, got 0",
            Assert.Throws<InvalidRequestException>(() => BacktestEngine.Run(new ScriptedStrategy(), "X", Timeframe.H1, TwoBars, new BacktestOptions { InitialCash = 0 })).Message);

    [Fact]
    public void DuplicateSymbols_AreRefused()
    {
        var s = new BacktestSeries("X", Timeframe.H1, TwoBars);
        Assert.Contains("'X' is given twice", Assert.Throws<ArgumentException>(() => BacktestEngine.Run(new ScriptedStrategy(), [s, s])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadOrders_AreRefused_WithTheRule()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BacktestEngine.Run(new ScriptedStrategy().On(0, c => c.Buy(0, 0)), "X", Timeframe.H1, TwoBars));
        Assert.Throws<ArgumentOutOfRangeException>(() => BacktestEngine.Run(new ScriptedStrategy().On(0, c => c.BuyLimit(0, 1, -5)), "X", Timeframe.H1, TwoBars));
        Assert.Throws<ArgumentOutOfRangeException>(() => BacktestEngine.Run(new ScriptedStrategy().On(0, c => c.Buy(3, 1)), "X", Timeframe.H1, TwoBars));
        Assert.Throws<ArgumentException>(() => BacktestEngine.Run(new ScriptedStrategy().On(0, c => c.SeriesIndexOf("Y")), "X", Timeframe.H1, TwoBars));
    }

    [Fact]
    public void TargetHelpers_CountUnfilledMarketOrders_AndSizeFromEquity()
    {
        int? first = null, second = null, third = null;
        var strategy = new ScriptedStrategy().On(0, c =>
        {
            first = c.OrderTargetPercent(0, 0.5); // 0.5 × 10,000 / 1 = 5,000 units
            second = c.OrderTargetQuantity(0, 5_000); // already on its way: nothing
            third = c.OrderTargetQuantity(0, 4_000); // sells 1,000 of the pending 5,000
        });

        var result = BacktestEngine.Run(strategy, "X", Timeframe.H1, TwoBars);

        Assert.Equal((1, (int?)null, 2), (first!.Value, second, third!.Value));
        Assert.Equal([(OrderSide.Buy, 5_000.0), (OrderSide.Sell, 1_000.0)], result.Fills.Select(f => (f.Side, f.Quantity)));
        Assert.Equal(Sizing.FractionOfEquity(0.25), Sizing.FractionOfEquity(0.25));
    }

    [Fact]
    public void SameStrategyInstance_RunTwice_GivesTheSameResult()
    {
        var closes = Enumerable.Range(0, 300).Select(i => 100m + (decimal)Math.Round(10 * Math.Sin(i / 7.0), 2)).ToArray();
        var frame = FromCloses(Hour, closes);
        var strategy = BuiltInStrategies.Create("sma-cross", new Dictionary<string, string> { ["fast"] = "3", ["slow"] = "8" });

        var a = BacktestEngine.Run(strategy, "X", Timeframe.H1, frame, new BacktestOptions { CommissionBps = 5, SlippageBps = 3 });
        var b = BacktestEngine.Run(strategy, "X", Timeframe.H1, frame, new BacktestOptions { CommissionBps = 5, SlippageBps = 3 });

        Assert.True(a.Trades.Count > 5);
        Assert.Equal(a.Trades, b.Trades);
        Assert.Equal(a.Fills, b.Fills);
        Assert.Equal(a.Metrics, b.Metrics);
        Assert.Equal(a.Equity.ToArray(), b.Equity.ToArray());
        Assert.Equal(a.Metrics.FinalEquity - 10_000, a.Trades.Sum(t => t.Pnl) + a.OpenTrades.Sum(t => t.Pnl), 1e-9);
    }

    [Fact]
    public void CancelledMarketOrder_NoLongerCountsTowardTheTarget()
    {
        int? again = null;
        var strategy = new ScriptedStrategy().On(0, c =>
        {
            var id = c.Buy(0, 5);
            Assert.True(c.Cancel(id));
            again = c.OrderTargetQuantity(0, 5); // the cancelled 5 are not on their way any more
        });

        var result = BacktestEngine.Run(strategy, "X", Timeframe.H1, TwoBars);

        Assert.Equal(2, again);
        Assert.Equal([OrderStatus.Cancelled, OrderStatus.Filled], result.Orders.Select(o => o.Status));
        Assert.Equal(5, Assert.Single(result.Fills).Quantity);
    }
}
