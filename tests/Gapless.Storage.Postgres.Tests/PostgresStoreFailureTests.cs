using System.Diagnostics;
using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Testing.Postgres;
using Gapless.Testing.Storage;
using Npgsql;

namespace Gapless.Storage.Postgres.Tests;

/// <summary>Sessions killed, commits cancelled, locks held: a commit lands whole or not at all, and says why.</summary>
public sealed class PostgresStoreFailureTests : IAsyncLifetime
{
    private const long Minute = 60_000;

    /// <summary>2024-01-31T22:00:00Z: a commit of a few hours from here spans two monthly partitions.</summary>
    private const long T0 = 1_706_738_400_000;

    private static readonly Series Btc = new("binance", "BTCUSDT", Timeframe.M1);
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await (await TestPostgres.GetAsync()).CreateDatabaseAsync();

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();

    /// <param name="overlap">True: the chunk overlaps bars held, so it goes through staging; false: COPY straight into bars.</param>
    [Theory]
    [InlineData("copying", false)]
    [InlineData("copying", true)]
    [InlineData("staged", true)]
    [InlineData("bars", false)]
    [InlineData("bars", true)]
    [InlineData("recorded", false)]
    [InlineData("recorded", true)]
    public async Task Commit_WhoseSessionIsKilledMidway_LeavesNothingOfTheChunk(string stage, bool overlap)
    {
        await using var store = await PostgresMarketStore.OpenAsync(_db.ConnectionString);
        await store.CommitAsync(Commit(SampleBars.Range(T0, T0 + (60 * Minute))));
        var before = await SnapshotAsync(store);
        await using var admin = _db.OpenDataSource();
        store.Writer.StageHook = async (s, connection) =>
        {
            if (s == stage)
            {
                // What the server sees when a worker's machine dies: its session ends mid-transaction.
                await using var kill = admin.CreateCommand($"SELECT pg_terminate_backend({connection.ProcessID})");
                await kill.ExecuteNonQueryAsync();
            }
        };

        // Six hours of bars crossing into February: a new partition, bars, coverage, quarantine and calls.
        var next = SampleBars.Range(T0 + ((overlap ? 59 : 60) * Minute), T0 + (420 * Minute));
        var bad = new QuarantinedBar(SampleBars.Simple(T0 + (420 * Minute), 5m) with { Volume = -1m }, "negative volume");
        var error = await Assert.ThrowsAsync<StoreException>(() => store.CommitAsync(Commit(next, [bad], [Call(360)])));
        store.Writer.StageHook = null;

        Assert.Contains("nothing of the interrupted commit was written", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(store));
        Assert.Equal(360, (await store.CommitAsync(Commit(next, [bad], [Call(360)]))).BarsStored);
    }

    [Theory]
    [InlineData("copying", false)]
    [InlineData("copying", true)]
    [InlineData("bars", true)]
    [InlineData("recorded", false)]
    public async Task Commit_CancelledMidway_LeavesNothingOfTheChunk(string stage, bool overlap)
    {
        await using var store = await PostgresMarketStore.OpenAsync(_db.ConnectionString);
        await store.CommitAsync(Commit(SampleBars.Range(T0, T0 + (60 * Minute))));
        var before = await SnapshotAsync(store);
        using var cancel = new CancellationTokenSource();
        store.Writer.StageHook = (s, _) =>
        {
            if (s == stage)
            {
                cancel.Cancel();
            }

            return Task.CompletedTask;
        };

        var next = SampleBars.BtcLike(T0 + ((overlap ? 59 : 60) * Minute), 5000, seed: 4);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.CommitAsync(Commit(next, [], [Call(5000)]), cancel.Token));
        store.Writer.StageHook = null;

        Assert.Equal(before, await SnapshotAsync(store));
    }

    [Fact]
    public async Task Commit_WhileAnotherSessionHoldsTheSeriesLock_FailsAsLockedAfterTheTimeout()
    {
        await using var store = await PostgresMarketStore.OpenAsync(_db.ConnectionString, new PostgresStoreOptions { LockTimeout = TimeSpan.FromSeconds(1) });
        await store.CommitAsync(Commit(SampleBars.Range(T0, T0 + (10 * Minute))));
        await using var source = _db.OpenDataSource();
        await using var other = await source.OpenConnectionAsync();
        var held = await other.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("SELECT id FROM series WHERE symbol = 'BTCUSDT' FOR UPDATE", other, held))
        {
            await hold.ExecuteNonQueryAsync();
        }

        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<StoreException>(() => store.CommitAsync(Commit(SampleBars.Range(T0 + (10 * Minute), T0 + (20 * Minute)))));
        watch.Stop();

        Assert.True(error.IsLocked);
        Assert.Equal(
            $"The store {store.Location} is locked: another Gapless process or session held a lock longer than the lock timeout (1 s). Try again when it has finished, or raise the timeout.",
            error.Message);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));

        // Readers never wait for writers, and once the lock goes the same commit succeeds.
        Assert.Equal(10, (await store.ReadAsync(Btc, new TimeRange(T0, T0 + (30 * Minute)))).Count);
        await held.RollbackAsync();
        await held.DisposeAsync();
        Assert.Equal(10, (await store.CommitAsync(Commit(SampleBars.Range(T0 + (10 * Minute), T0 + (20 * Minute))))).BarsStored);
    }

    [Fact]
    public async Task Commit_ViolatingAConstraint_LeavesNothingAndSaysWhy()
    {
        await using var store = await PostgresMarketStore.OpenAsync(_db.ConnectionString);
        await store.CommitAsync(Commit(SampleBars.Range(T0, T0 + (30 * Minute))));
        var before = await SnapshotAsync(store);

        // A vendor call with negative rows fails the fetch_log CHECK after the bars and coverage were written.
        var error = await Assert.ThrowsAsync<StoreException>(() => store.CommitAsync(Commit(SampleBars.Range(T0 + (30 * Minute), T0 + (300 * Minute)), [], [Call(-1)])));

        Assert.StartsWith($"The store {store.Location} rejected the commit, nothing was written: ", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(store));
    }

    [Fact]
    public async Task Read_AfterTheServerDropsTheSession_WorksOnTheNextCall()
    {
        await using var store = await PostgresMarketStore.OpenAsync(_db.ConnectionString);
        await store.CommitAsync(Commit(SampleBars.Range(T0, T0 + (10 * Minute))));
        await using var source = _db.OpenDataSource();
        await using (var kill = source.CreateCommand($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{_db.Name}' AND pid <> pg_backend_pid()"))
        {
            await kill.ExecuteNonQueryAsync();
        }

        // A pooled session killed while idle is noticed and replaced; the caller sees at most one failed call.
        try
        {
            await store.GetCoverageAsync(Btc);
        }
        catch (StoreException)
        {
        }

        Assert.Equal(10, (await store.ReadAsync(Btc, new TimeRange(T0, T0 + (30 * Minute)))).Count);
    }

    private static ChunkCommit Commit(Bar[] bars, IReadOnlyList<QuarantinedBar>? bad = null, IReadOnlyList<VendorCall>? calls = null)
    {
        var covered = new TimeRange(bars[0].OpenTimeMs, bars[^1].OpenTimeMs + Minute + (bad?.Count > 0 ? Minute : 0));
        return new ChunkCommit(Btc, covered, covered, bars, bad ?? [], calls ?? []);
    }

    private static VendorCall Call(int rows) => new(DateTimeOffset.FromUnixTimeMilliseconds(T0 + 86_400_000), "/api/v3/klines", 200, rows, 2, TimeSpan.FromMilliseconds(5));

    private async Task<string> SnapshotAsync(PostgresMarketStore store)
    {
        var bars = await store.ReadAsync(Btc, new TimeRange(T0 - 86_400_000, T0 + (10 * 86_400_000)));
        var info = await store.GetInfoAsync();
        return string.Join(
            " | ",
            string.Join(',', bars.Select(b => $"{b.OpenTimeMs}:{b.Close}")),
            await store.GetCoverageAsync(Btc),
            (await store.ReadQuarantineAsync(Btc)).Count,
            (await store.ReadFetchLogAsync(Btc)).Count,
            string.Join(',', (await store.ListSeriesAsync(SeriesFilter.All)).Select(s => $"{s.Series}:{s.BarCount}:{s.FirstBarMs}:{s.LastBarMs}")),
            info.BarCount,
            string.Join(',', info.Partitions.Select(p => p.Name)),
            await _db.ScalarAsync("SELECT count(*) FROM bars"));
    }
}
