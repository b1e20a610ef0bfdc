using Gapless.Bench.Harness;
using Gapless.Core.Model;
using Gapless.Core.Planning;
using Gapless.Core.Ports;
using Gapless.Core.Sync;
using Gapless.Providers.Sim;
using Gapless.Storage.Sqlite;

namespace Gapless.Bench.Benchmarks;

/// <summary>Planning a 10-year 1m series: with contiguous coverage (nothing to do) and with everything missing.</summary>
internal sealed class PlanBenchmarks(string folder, int iterations)
{
    private static readonly Series Series = new("sim", "SIM-BTC", Timeframe.M1);

    public async Task<IReadOnlyList<Result>> RunAsync()
    {
        var tenYears = new TimeRange(
            UtcTime.ToEpochMs(new DateTimeOffset(2014, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            UtcTime.ToEpochMs(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        var provider = new SimProvider();
        var path = Path.Combine(folder, "plan.db");
        File.Delete(path);
        await using var store = await SqliteMarketStore.OpenAsync(path);
        var engine = new SyncEngine(store, TimeProvider.System);
        var results = new List<Result>();

        var missingAll = await Measurement.RunAsync(
            "plan 10 years of 1m, nothing stored (5,259 chunks), store read included", iterations * 3, () => Task.CompletedTask,
            () => engine.PlanAsync(provider, Series, tenYears));
        results.Add(Result.Time(missingAll, null));

        var pure = await Measurement.RunAsync(
            "plan 10 years of 1m, nothing stored, planner alone", iterations * 3, () => Task.CompletedTask,
            () => { ChunkPlanner.Plan(RangeSet.Of(tenYears), Timeframe.M1, provider.Capabilities); return Task.CompletedTask; });
        results.Add(Result.Time(pure, null));

        // Contiguous coverage: the vendor was asked for all ten years (no bars needed to prove it).
        await store.CommitAsync(new ChunkCommit(Series, tenYears, tenYears, [], [], []));
        var covered = await Measurement.RunAsync(
            "plan 10 years of 1m, contiguous coverage, store read included", iterations * 3, () => Task.CompletedTask,
            () => engine.PlanAsync(provider, Series, tenYears));
        results.Add(Result.Time(covered, TimeSpan.FromMilliseconds(1)));
        return results;
    }
}
