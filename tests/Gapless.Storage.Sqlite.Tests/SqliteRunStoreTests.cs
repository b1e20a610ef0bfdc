using System.Diagnostics;
using Gapless.Core.Errors;
using Gapless.Core.Ports;
using Gapless.Storage.Sqlite.Internal;
using Gapless.Testing;
using Microsoft.Data.Sqlite;

namespace Gapless.Storage.Sqlite.Tests;

/// <summary>Runs in the SQLite file: what SQL users see, the migration that adds them, a held write lock, db info.</summary>
public sealed class SqliteRunStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2024, 11, 21, 10, 0, 0, 123, TimeSpan.Zero);
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Runs_ArePlainRowsSqlUsersCanQuery()
    {
        var path = _folder.File("runs.db");
        await using (var store = await SqliteMarketStore.OpenAsync(path))
        {
            await store.CreateRunAsync(Pending("bt-1", """{"strategy":"sma_cross", "fast":10}"""));
            await store.TransitionAsync("bt-1", new RunTransition(RunStatus.FetchingData, T0.AddSeconds(1), "2 series"));
            await store.TransitionAsync("bt-1", new RunTransition(RunStatus.Running, T0.AddSeconds(2)));
            await store.FinishAsync("bt-1", new RunTransition(RunStatus.Completed, T0.AddSeconds(3)), new RunOutcome("""{"sharpe": 1.40}""", "[]", null));
            await store.CreateRunAsync(Pending("bt-2", "{}"));
        }

        Assert.Equal("bt-1 completed|bt-2 pending", await SqliteStoreOpenTests.ScalarAsync(path, "SELECT group_concat(id || ' ' || status, '|') FROM (SELECT id, status FROM runs ORDER BY id);"));
        Assert.Equal(
            "1:pending 2:fetching_data 3:running 4:completed",
            await SqliteStoreOpenTests.ScalarAsync(path, "SELECT group_concat(seq || ':' || status, ' ') FROM (SELECT seq, status FROM run_transitions WHERE run_id = 'bt-1' ORDER BY seq);"));
        Assert.Equal("sma_cross 1.4", await SqliteStoreOpenTests.ScalarAsync(path, "SELECT json_extract(request, '$.strategy') || ' ' || json_extract(summary, '$.sharpe') FROM runs WHERE id = 'bt-1';"));
        Assert.Equal(
            (T0.AddSeconds(3).ToUnixTimeMilliseconds() + " " + T0.ToUnixTimeMilliseconds()),
            await SqliteStoreOpenTests.ScalarAsync(path, "SELECT finished_at_ms || ' ' || created_at_ms FROM runs WHERE id = 'bt-1';"));
        Assert.Equal("", await SqliteStoreOpenTests.ScalarAsync(path, "SELECT finished_at_ms FROM runs WHERE id = 'bt-2';"));
    }

    [Fact]
    public async Task Open_AVersion2File_AddsTheRunTables_AndKeepsWhatItHeld()
    {
        var path = _folder.File("v2.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await Migrations.ApplyAsync(connection, path, TimeProvider.System, 2, CancellationToken.None);
            await using var series = connection.CreateCommand();
            series.CommandText = "INSERT INTO series (provider, symbol, timeframe) VALUES ('binance', 'BTCUSDT', '1m');";
            await series.ExecuteNonQueryAsync();
        }

        Assert.Equal("2", await SqliteStoreOpenTests.ScalarAsync(path, "PRAGMA user_version;"));

        await using var store = await SqliteMarketStore.OpenAsync(path);
        await store.CreateRunAsync(Pending("bt-1", "{}"));

        var info = await store.GetInfoAsync();
        Assert.Equal((Migrations.Latest, 1L, 1L), (info.SchemaVersion, info.SeriesCount, info.RunCount));
        Assert.Equal(3, Migrations.Latest);
    }

    [Fact]
    public async Task Info_CountsRuns()
    {
        await using var store = await SqliteMarketStore.OpenAsync(_folder.File("info.db"));
        Assert.Equal(0, (await store.GetInfoAsync()).RunCount);

        await store.CreateRunAsync(Pending("bt-1", "{}"));
        await store.CreateRunAsync(Pending("bt-2", "{}"));
        await store.FinishAsync("bt-2", new RunTransition(RunStatus.Failed, T0.AddSeconds(1)), new RunOutcome(null, null, "boom"));

        Assert.Equal(2, (await store.GetInfoAsync()).RunCount);
    }

    [Fact]
    public async Task RunWrites_WhileAnotherProcessHoldsTheWriteLock_FailAsLockedWithinTheBusyTimeout()
    {
        var path = _folder.File("locked.db");
        await using var store = await SqliteMarketStore.OpenAsync(path, new SqliteStoreOptions { BusyTimeout = TimeSpan.FromSeconds(1) });
        await store.CreateRunAsync(Pending("bt-1", "{}"));
        await using var other = new SqliteConnection($"Data Source={path};Pooling=False");
        await other.OpenAsync();
        using var held = other.BeginTransaction(deferred: false);

        var watch = Stopwatch.StartNew();
        var create = await Assert.ThrowsAsync<StoreException>(() => store.CreateRunAsync(Pending("bt-2", "{}")));
        var transition = await Assert.ThrowsAsync<StoreException>(() => store.TransitionAsync("bt-1", new RunTransition(RunStatus.Running, T0.AddSeconds(1))));
        watch.Stop();

        var locked = $"The store {path} is locked: another Gapless process holds the write lock (waited 1 s). Try again when it has finished.";
        Assert.Equal((true, locked), (create.IsLocked, create.Message));
        Assert.Equal((true, locked), (transition.IsLocked, transition.Message));
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1.8), TimeSpan.FromSeconds(12));

        // Readers are not blocked by the writer, and once the lock goes the same writes succeed.
        Assert.Equal(RunStatus.Pending, (await store.GetRunAsync("bt-1"))!.Status);
        held.Rollback();
        await store.CreateRunAsync(Pending("bt-2", "{}"));
        await store.TransitionAsync("bt-1", new RunTransition(RunStatus.Running, T0.AddSeconds(1)));
        Assert.Equal(["bt-1", "bt-2"], (await store.ListRunsAsync()).Select(r => r.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Create_WithRequestNotJson_SaysWhichColumnRefusedIt()
    {
        await using var store = await SqliteMarketStore.OpenAsync(_folder.File("json.db"));

        var error = await Assert.ThrowsAsync<StoreException>(() => store.CreateRunAsync(Pending("bt-1", "{oops")));

        Assert.Contains("nothing was written", error.Message, StringComparison.Ordinal);
        Assert.Contains("run_request_is_json", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();

    private static RunRecord Pending(string id, string request)
        => new(id, "backtest", T0, request, RunStatus.Pending, [new(RunStatus.Pending, T0)], null);
}
