using System.Diagnostics;
using Gapless.Core.Errors;
using Gapless.Core.Ports;
using Gapless.Testing.Postgres;
using Npgsql;

namespace Gapless.Storage.Postgres.Tests;

/// <summary>Runs in PostgreSQL: what psql users see, the migration that adds them, a held row lock, db info.</summary>
public sealed class PostgresRunStoreTests : IAsyncLifetime
{
    private const string Request = """{"strategy": "sma_cross",  "params": {"slow": 50.0, "fast": 10}}""";
    private static readonly DateTimeOffset T0 = new(2024, 11, 21, 10, 0, 0, 123, TimeSpan.Zero);
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await (await TestPostgres.GetAsync()).CreateDatabaseAsync();

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();

    [Fact]
    public async Task Runs_ArePlainRowsPsqlUsersCanQuery()
    {
        await using var store = await PostgresMarketStore.OpenAsync(_db.ConnectionString);
        await store.CreateRunAsync(Pending("bt-1", Request));
        await store.TransitionAsync("bt-1", new RunTransition(RunStatus.FetchingData, T0.AddSeconds(1), "2 series"));
        await store.TransitionAsync("bt-1", new RunTransition(RunStatus.Running, T0.AddSeconds(2)));
        await store.FinishAsync("bt-1", new RunTransition(RunStatus.Completed, T0.AddSeconds(3)), new RunOutcome("""{"sharpe": 1.40, "trades": 2}""", "[]", null));
        await store.CreateRunAsync(Pending("bt-2", "{}"));

        Assert.Equal("bt-1 completed|bt-2 pending", await _db.ScalarAsync("SELECT string_agg(id || ' ' || status, '|' ORDER BY id) FROM runs"));
        Assert.Equal(
            "1:pending 2:fetching_data 3:running 4:completed",
            await _db.ScalarAsync("SELECT string_agg(seq || ':' || status, ' ' ORDER BY seq) FROM run_transitions WHERE run_id = 'bt-1'"));
        Assert.Equal("sma_cross 50.0 1.40", await _db.ScalarAsync("SELECT concat_ws(' ', request->>'strategy', request#>>'{params,slow}', summary->>'sharpe') FROM runs WHERE id = 'bt-1'"));
        Assert.Equal(true, await _db.ScalarAsync("""SELECT summary::jsonb @> '{"trades": 2}' FROM runs WHERE id = 'bt-1'"""));
        Assert.Equal(Request, await _db.ScalarAsync("SELECT request::text FROM runs WHERE id = 'bt-1'"));
        Assert.Equal(true, await _db.ScalarAsync("SELECT finished_at = '2024-11-21T10:00:03.123Z' AND created_at = '2024-11-21T10:00:00.123Z' FROM runs WHERE id = 'bt-1'"));
        Assert.Equal(
            "id text, kind text, created_at timestamp with time zone, request json, status text, summary json, trades json, error text, finished_at timestamp with time zone",
            await _db.ScalarAsync("SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'runs'"));

        // A psql user may delete a run: its transitions go with it.
        await _db.ScalarAsync("DELETE FROM runs WHERE id = 'bt-1'");
        Assert.Equal(1L, await _db.ScalarAsync("SELECT count(*) FROM run_transitions"));
        Assert.Null(await store.GetRunAsync("bt-1"));
    }

    [Fact]
    public async Task Open_AVersion3Store_AddsTheRunTables()
    {
        await using (var source = _db.OpenDataSource())
        await using (var connection = await source.OpenConnectionAsync())
        {
            Assert.Equal(3, await Internal.Migrations.ApplyAsync(connection, "test", TimeProvider.System, 3, CancellationToken.None));
        }

        Assert.Equal(0L, await _db.ScalarAsync("SELECT count(*) FROM pg_class WHERE relname IN ('runs', 'run_transitions')"));

        await using var store = await PostgresMarketStore.OpenAsync(_db.ConnectionString);
        await store.CreateRunAsync(Pending("bt-1", "{}"));

        Assert.Equal((4, 4), (PostgresMarketStore.LatestSchemaVersion, store.SchemaVersion));
        Assert.Equal("runs: recorded backtests, their status transitions and outcome", await _db.ScalarAsync("SELECT description FROM gapless_schema_migrations WHERE version = 4"));
        Assert.Equal(1L, await _db.ScalarAsync("SELECT count(*) FROM runs"));
    }

    [Fact]
    public async Task Info_CountsRuns()
    {
        await using var store = await PostgresMarketStore.OpenAsync(_db.ConnectionString);
        Assert.Equal(0, (await store.GetInfoAsync()).RunCount);

        await store.CreateRunAsync(Pending("bt-1", "{}"));
        await store.CreateRunAsync(Pending("bt-2", "{}"));
        await store.FinishAsync("bt-2", new RunTransition(RunStatus.Failed, T0.AddSeconds(1)), new RunOutcome(null, null, "boom"));

        var info = await store.GetInfoAsync();
        Assert.Equal(2, info.RunCount);
        Assert.True(info.SizeBytes > 0);
    }

    [Fact]
    public async Task Transition_WhileAnotherSessionHoldsTheRunRow_FailsAsLockedAfterTheTimeout()
    {
        await using var store = await PostgresMarketStore.OpenAsync(_db.ConnectionString, new PostgresStoreOptions { LockTimeout = TimeSpan.FromSeconds(1) });
        await store.CreateRunAsync(Pending("bt-1", "{}"));
        await using var source = _db.OpenDataSource();
        await using var other = await source.OpenConnectionAsync();
        var held = await other.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("SELECT id FROM runs WHERE id = 'bt-1' FOR UPDATE", other, held))
        {
            await hold.ExecuteNonQueryAsync();
        }

        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<StoreException>(() => store.TransitionAsync("bt-1", new RunTransition(RunStatus.Running, T0.AddSeconds(1))));
        watch.Stop();

        Assert.True(error.IsLocked);
        Assert.Equal(
            $"The store {store.Location} is locked: another Gapless process or session held a lock longer than the lock timeout (1 s). Try again when it has finished, or raise the timeout.",
            error.Message);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));

        // Readers never wait for writers, and once the lock goes the same transition succeeds.
        Assert.Equal(RunStatus.Pending, (await store.GetRunAsync("bt-1"))!.Status);
        await held.RollbackAsync();
        await held.DisposeAsync();
        await store.TransitionAsync("bt-1", new RunTransition(RunStatus.Running, T0.AddSeconds(1)));
        Assert.Equal(RunStatus.Running, (await store.GetRunAsync("bt-1"))!.Status);
    }

    [Fact]
    public async Task Create_WithRequestNotJson_IsRefusedByTheJsonColumn()
    {
        await using var store = await PostgresMarketStore.OpenAsync(_db.ConnectionString);

        var error = await Assert.ThrowsAsync<StoreException>(() => store.CreateRunAsync(Pending("bt-1", "{oops")));

        Assert.StartsWith($"The store {store.Location} rejected a value, nothing was written: invalid input syntax for type json", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    private static RunRecord Pending(string id, string request)
        => new(id, "backtest", T0, request, RunStatus.Pending, [new(RunStatus.Pending, T0)], null);
}
