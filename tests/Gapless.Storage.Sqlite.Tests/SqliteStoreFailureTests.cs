using System.Diagnostics;
using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Testing;
using Gapless.Testing.Storage;
using Microsoft.Data.Sqlite;

namespace Gapless.Storage.Sqlite.Tests;

/// <summary>Locks and failures midway: a commit lands whole or not at all.</summary>
public sealed class SqliteStoreFailureTests : IDisposable
{
    private const long T0 = 1_704_067_200_000;
    private const long Minute = 60_000;
    private static readonly Series Btc = new("binance", "BTCUSDT", Timeframe.M1);
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Commit_WhileAnotherProcessHoldsTheWriteLock_FailsAsLockedWithinTheBusyTimeout()
    {
        var path = _folder.File("locked.db");
        await using var store = await SqliteMarketStore.OpenAsync(path, new SqliteStoreOptions { BusyTimeout = TimeSpan.FromSeconds(1) });
        await using var other = new SqliteConnection($"Data Source={path};Pooling=False");
        await other.OpenAsync();
        using var held = other.BeginTransaction(deferred: false);

        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<StoreException>(() => store.CommitAsync(Commit(SampleBars.Range(T0, T0 + (10 * Minute)))));
        watch.Stop();

        Assert.True(error.IsLocked);
        Assert.Equal($"The store {path} is locked: another Gapless process holds the write lock (waited 1 s). Try again when it has finished.", error.Message);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(6));

        // Readers are not blocked by the writer, and once the lock goes the same commit succeeds.
        Assert.Empty(await store.ReadAsync(Btc, new TimeRange(T0, T0 + Minute)));
        held.Rollback();
        Assert.Equal(10, (await store.CommitAsync(Commit(SampleBars.Range(T0, T0 + (10 * Minute))))).BarsStored);
    }

    [Theory]
    [InlineData("segments")]
    [InlineData("coverage")]
    [InlineData("logs")]
    public async Task Commit_FailingMidway_LeavesNothingOfTheChunk(string stage)
    {
        await using var store = await SqliteMarketStore.OpenAsync(_folder.File($"{stage}.db"));
        var first = SampleBars.Range(T0, T0 + (30 * Minute));
        await store.CommitAsync(Commit(first));
        var before = await SnapshotAsync(store);
        store.Writer.StageHook = s =>
        {
            if (s == stage)
            {
                throw new InvalidOperationException("power cut");
            }
        };

        var backfill = SampleBars.Range(T0 + (30 * Minute), T0 + (90 * Minute));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.CommitAsync(Commit(backfill, [Call(60)])));
        store.Writer.StageHook = null;

        Assert.Equal(before, await SnapshotAsync(store));
    }

    [Fact]
    public async Task Commit_ViolatingAConstraint_LeavesNothingAndSaysWhy()
    {
        await using var store = await SqliteMarketStore.OpenAsync(_folder.File("constraint.db"));
        await store.CommitAsync(Commit(SampleBars.Range(T0, T0 + (30 * Minute))));
        var before = await SnapshotAsync(store);

        // A vendor call with negative rows fails the fetch_log CHECK after the bars and coverage were written.
        var error = await Assert.ThrowsAsync<StoreException>(() => store.CommitAsync(Commit(SampleBars.Range(T0 + (30 * Minute), T0 + (60 * Minute)), [Call(-1)])));

        Assert.Contains("rejected the commit, nothing was written", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(store));
    }

    [Fact]
    public async Task Commit_CancelledMidway_LeavesNothing()
    {
        await using var store = await SqliteMarketStore.OpenAsync(_folder.File("cancel.db"));
        using var cancel = new CancellationTokenSource();
        store.Writer.StageHook = s =>
        {
            if (s == "segments")
            {
                cancel.Cancel();
            }
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.CommitAsync(Commit(SampleBars.Range(T0, T0 + (30 * Minute)), [Call(30)]), cancel.Token));
        store.Writer.StageHook = null;

        Assert.Empty(await store.ReadAsync(Btc, new TimeRange(T0, T0 + 86_400_000)));
        Assert.True((await store.GetCoverageAsync(Btc)).IsEmpty);
        Assert.Empty(await store.ReadFetchLogAsync(Btc));
        Assert.Equal(0, (await store.GetInfoAsync()).SegmentCount);
    }

    public void Dispose() => _folder.Dispose();

    private static ChunkCommit Commit(Bar[] bars, VendorCall[]? calls = null)
    {
        var range = new TimeRange(bars[0].OpenTimeMs, bars[^1].OpenTimeMs + Minute);
        return new ChunkCommit(Btc, range, range, bars, [], calls ?? []);
    }

    private static VendorCall Call(int rows)
        => new(DateTimeOffset.FromUnixTimeMilliseconds(T0), "/api/v3/klines", 200, rows, 2, TimeSpan.FromMilliseconds(5));

    /// <summary>Everything the store holds of the series, as comparable text.</summary>
    private static async Task<string> SnapshotAsync(SqliteMarketStore store)
    {
        var bars = await store.ReadAsync(Btc, new TimeRange(T0 - 86_400_000, T0 + 86_400_000));
        var coverage = await store.GetCoverageAsync(Btc);
        var log = await store.ReadFetchLogAsync(Btc);
        var summary = await store.ListSeriesAsync(SeriesFilter.All);
        return string.Join('\n', bars.Select(b => b.ToString()).Append(coverage.ToString()).Concat(log.Select(l => l.ToString())).Concat(summary.Select(s => s.ToString())));
    }
}
