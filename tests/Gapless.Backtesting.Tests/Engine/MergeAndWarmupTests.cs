using Gapless.Core.Model;
using static Gapless.Backtesting.Tests.TestBars;

namespace Gapless.Backtesting.Tests.Engine;

/// <summary>Several series merge by close time; bars before the range are warm-up.</summary>
public sealed class MergeAndWarmupTests
{
    private const long HalfHour = Hour / 2;

    [Fact]
    public void TwoSeries_AreMergedInTimeOrder_TiesInTheOrderGiven()
    {
        // A: hourly from 00:00 (3 bars); B: hourly from 00:00 too (2 bars) but given second; C: hourly from 01:00.
        var a = new BacktestSeries("A", Timeframe.H1, Frame(T0, Hour, [(1m, 1m, 1m, 1m), (2m, 2m, 2m, 2m), (3m, 3m, 3m, 3m)]));
        var b = new BacktestSeries("B", Timeframe.H1, Frame(T0, Hour, [(10m, 10m, 10m, 10m), (20m, 20m, 20m, 20m)]));
        var c = new BacktestSeries("C", Timeframe.H1, Frame(T0 + Hour, Hour, [(100m, 100m, 100m, 100m)]));
        var strategy = new ScriptedStrategy();

        var result = BacktestEngine.Run(strategy, [c, a, b]);

        Assert.Equal(
            [("A", CloseOf(0)), ("B", CloseOf(0)), ("C", CloseOf(1)), ("A", CloseOf(1)), ("B", CloseOf(1)), ("A", CloseOf(2))],
            strategy.Seen.Select(s => (s.Bar.Symbol, s.Bar.CloseTimeMs)));
        Assert.Equal([1, 2, 0, 1, 2, 1], strategy.Seen.Select(s => s.Bar.SeriesIndex)); // indexes into [C, A, B]

        // One equity point per distinct close time.
        Assert.Equal([CloseOf(0), CloseOf(1), CloseOf(2)], result.Equity.Select(p => p.TimeMs));
        Assert.Equal(6, result.BarsReplayed);
    }

    [Fact]
    public void MixedTimeframes_ABarIsSeenOnlyAfterItCloses()
    {
        // H: one 1h bar 00:00-01:00. M: 30m bars 00:00, 00:30, 01:00. By open time H would come first; by close it
        // comes with M's 00:30 bar, after M's 00:00 bar.
        var h = new BacktestSeries("H", Timeframe.H1, Frame(T0, Hour, [(50m, 60m, 40m, 55m)]));
        var m = new BacktestSeries("M", Timeframe.M30, Frame(T0, HalfHour, [(1m, 1m, 1m, 1m), (2m, 2m, 2m, 2m), (3m, 3m, 3m, 3m)]));
        var strategy = new ScriptedStrategy();

        BacktestEngine.Run(strategy, [h, m]);

        Assert.Equal(
            [("M", T0 + HalfHour), ("H", T0 + Hour), ("M", T0 + Hour), ("M", T0 + Hour + HalfHour)],
            strategy.Seen.Select(s => (s.Bar.Symbol, s.Bar.CloseTimeMs)));
    }

    [Fact]
    public void OrderOnAnotherSeries_FillsOnlyOnABarOpeningAfterItWasPlaced()
    {
        // At M's bar closing 00:30 the strategy buys H. H's bar 00:00-01:00 is under way (it opened before the order),
        // so the order fills at H's next bar, opening 01:00 at 70 — not at 50, H's 00:00 open.
        var h = new BacktestSeries("H", Timeframe.H1, Frame(T0, Hour, [(50m, 60m, 40m, 55m), (70m, 71m, 69m, 70m)]));
        var m = new BacktestSeries("M", Timeframe.M30, Frame(T0, HalfHour, [(1m, 1m, 1m, 1m), (2m, 2m, 2m, 2m), (3m, 3m, 3m, 3m), (4m, 4m, 4m, 4m)]));
        var strategy = new ScriptedStrategy().OnAny((bar, ctx) =>
        {
            if (bar.Symbol == "M" && bar.CloseTimeMs == T0 + HalfHour)
            {
                ctx.Buy(ctx.SeriesIndexOf("H"), 1);
            }
        });

        var result = BacktestEngine.Run(strategy, [h, m]);

        var fill = Assert.Single(result.Fills);
        Assert.Equal(("H", 70.0, T0 + Hour), (fill.Symbol, fill.Price, fill.TimeMs));
    }

    [Fact]
    public void OrderOnAnotherSeries_ClosingAtTheSameTime_FillsAtThatSeriesNextOpen()
    {
        // A's bar 0 and B's bar 0 both close at 01:00; on A's the strategy buys B: it fills at B's bar 1 open (20).
        var a = new BacktestSeries("A", Timeframe.H1, Frame(T0, Hour, [(1m, 1m, 1m, 1m), (2m, 2m, 2m, 2m)]));
        var b = new BacktestSeries("B", Timeframe.H1, Frame(T0, Hour, [(10m, 15m, 5m, 10m), (20m, 20m, 20m, 20m)]));
        var strategy = new ScriptedStrategy().On(0, c => c.Buy(1, 1));

        var result = BacktestEngine.Run(strategy, [a, b]);

        Assert.Equal((20.0, OpenOf(1)), (result.Fills[0].Price, result.Fills[0].TimeMs));
        Assert.Equal(10_000, result.Equity[1].Equity); // bought at 20, marked at 20
    }

    [Fact]
    public void BarsBeforeTheRange_AreWarmup_SeenButNotTradedOrRecorded()
    {
        var bars = Hourly((1m, 1m, 1m, 1m), (2m, 2m, 2m, 2m), (3m, 3m, 3m, 3m), (4m, 4m, 4m, 4m), (5m, 5m, 5m, 5m), (6m, 6m, 6m, 6m));
        var strategy = new ScriptedStrategy(warmupBars: 2);
        var options = new BacktestOptions { Range = new TimeRange(OpenOf(2), OpenOf(5)) }; // bars 2, 3, 4

        var result = BacktestEngine.Run(strategy, "X", Timeframe.H1, bars, options);

        Assert.Equal([true, true, false, false, false], strategy.Seen.Select(s => s.WarmingUp));
        Assert.Equal([CloseOf(2), CloseOf(3), CloseOf(4)], result.Equity.Select(p => p.TimeMs));
        Assert.Equal(new SeriesReplay("X", "1h", 2, 3), Assert.Single(result.Series));
    }

    [Fact]
    public void OrderDuringWarmup_Throws_WithAMessageSayingWhy()
    {
        var bars = Hourly((1m, 1m, 1m, 1m), (2m, 2m, 2m, 2m));
        var strategy = new ScriptedStrategy(1).On(0, c => c.Buy(0, 1));

        var error = Assert.Throws<InvalidOperationException>(() => BacktestEngine.Run(strategy, "X", Timeframe.H1, bars, new BacktestOptions { Range = new TimeRange(OpenOf(1), OpenOf(2)) }));

        Assert.Contains("warm-up", error.Message, StringComparison.Ordinal);
        Assert.Contains("IsWarmingUp", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RangeWithoutBars_GivesAnEmptyCurve_AndTheStartingCash()
    {
        var bars = Hourly((1m, 1m, 1m, 1m), (2m, 2m, 2m, 2m));
        var strategy = new ScriptedStrategy();

        var result = BacktestEngine.Run(strategy, "X", Timeframe.H1, bars, new BacktestOptions { Range = new TimeRange(OpenOf(5), OpenOf(9)) });

        Assert.Empty(result.Equity);
        Assert.Equal(2, strategy.Seen.Count(s => s.WarmingUp));
        Assert.Equal((10_000.0, 10_000.0, 0.0, 0), (result.Metrics.InitialEquity, result.Metrics.FinalEquity, result.Metrics.TotalReturn, result.Metrics.Steps));
    }
}
