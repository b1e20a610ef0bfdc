using Gapless.Backtesting;
using Gapless.Backtesting.Strategies;
using Gapless.Bench.Harness;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Storage.Sqlite;

namespace Gapless.Bench.Benchmarks;

/// <summary>
/// The backtest engine on one year of BTC-like 1m bars (525,600) in the embedded store: its throughput replaying a
/// frame already read (conversion of the columns to double included), and the stored year end to end (read + replay).
/// </summary>
internal sealed class BacktestBenchmarks(string folder, int iterations)
{
    private const int Bars = 365 * 1440;
    private const int WarmupRuns = 20;
    private static readonly Series Series = new("binance", "BTCUSDT", Timeframe.M1);
    private static readonly DateTimeOffset Start = new(2023, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public async Task<IReadOnlyList<Result>> RunAsync()
    {
        var results = new List<Result>();
        var path = Path.Combine(folder, "backtest.db");
        var range = await FillAsync(path);

        // The generated Bar rows (~90 MB) are gone before timing starts: a backtest process holds frames, not rows,
        // and a big dead heap would bill the engine for full garbage collections it does not cause.
        GC.Collect();
        await using var store = await SqliteMarketStore.OpenAsync(path);
        var frame = await store.ReadAsync(Series, range);
        var strategy = BuiltInStrategies.Create(BuiltInStrategies.SmaCross);
        var options = new BacktestOptions { CommissionBps = 10, SlippageBps = 1, Range = range };
        BacktestResult? result = null;

        // Steady state, as in a long-lived process (the server): the first runs of a process are slower while .NET
        // recompiles the per-order paths optimized (tiered JIT) and the GC sizes its heap for the results of a run.
        // A one-shot `gapless backtest` pays that once; the end-to-end figure below includes it in its first runs.
        for (var i = 0; i < WarmupRuns; i++)
        {
            BacktestEngine.Run(strategy, Series.Symbol, Series.Timeframe, frame, options);
        }

        var engine = await Measurement.RunAsync(
            $"engine: sma-cross (10/30) over one year of 1m bars, one series, frame in memory, after {WarmupRuns} warm-up runs",
            iterations * 3,
            () => Task.CompletedTask,
            () =>
            {
                result = BacktestEngine.Run(strategy, Series.Symbol, Series.Timeframe, frame, options);
                return Task.CompletedTask;
            });
        Check(result!);
        var rate = Result.Rate(engine, Bars, "bars/s", 20_000_000, higherIsBetter: true);
        results.Add(rate with { Runs = $"{rate.Runs}; {result!.Metrics.Trades:N0} trades" });

        var endToEnd = await Measurement.RunAsync(
            "end to end: read one stored year of 1m bars + sma-cross replay",
            iterations,
            () => Task.CompletedTask,
            async () => result = BacktestEngine.Run(strategy, Series.Symbol, Series.Timeframe, await store.ReadAsync(Series, range), options));
        Check(result!);
        results.Add(Result.Time(endToEnd, TimeSpan.FromMilliseconds(500)));
        return results;
    }

    /// <summary>Stores the year a day per commit; returns its range.</summary>
    private static async Task<TimeRange> FillAsync(string path)
    {
        var year = BenchData.Minutes(Start, Bars);
        File.Delete(path);
        await using var store = await SqliteMarketStore.OpenAsync(path);
        for (var i = 0; i < year.Count; i += 1440)
        {
            var day = year.GetRange(i, Math.Min(1440, year.Count - i));
            var chunk = new TimeRange(day[0].OpenTimeMs, day[^1].OpenTimeMs + 60_000);
            await store.CommitAsync(new ChunkCommit(Series, chunk, chunk, day, [], []));
        }

        return new TimeRange(year[0].OpenTimeMs, year[^1].OpenTimeMs + 60_000);
    }

    private static void Check(BacktestResult result)
    {
        if (result.Equity.Count != Bars || result.Metrics.Trades == 0)
        {
            throw new InvalidOperationException($"the backtest replayed {result.Equity.Count} bars with {result.Metrics.Trades} trades; expected {Bars} bars and some trades");
        }
    }
}
