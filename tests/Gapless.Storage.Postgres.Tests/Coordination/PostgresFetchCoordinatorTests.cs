using Gapless.Core.Model;
using Gapless.Storage.Postgres.Internal;
using Gapless.Testing.Postgres;
using Npgsql;
using static Gapless.Storage.Postgres.Tests.Coordination.ClaimKit;

namespace Gapless.Storage.Postgres.Tests.Coordination;

/// <summary>What a claim takes: what coverage lacks, minus what others hold, in the planner's chunks; releases; the schema.</summary>
public sealed class PostgresFetchCoordinatorTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestPostgres.NewDatabaseAsync();

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();

    [Fact]
    public async Task Claim_TakesWhatCoverageLacks_InThePlannersChunks_EarliestFirst()
    {
        await using var store = await OpenAsync(_db);
        await CoverAsync(store, M(150, 170));
        await CoverAsync(store, M(400, 500));

        var result = await store.FetchCoordinator.ClaimAsync(Guid.NewGuid(), Btc, Set(M(0, 450)), Plan, maxChunks: 10);

        Assert.Equal(Set(M(0, 150), M(170, 400)), result.Missing);
        Assert.Equal([M(0, 100), M(100, 150), M(170, 270), M(270, 370), M(370, 400)], result.Claimed);
        Assert.Equal(RangeSet.Empty, result.HeldByOthers);
        Assert.Equal(5L, await _db.ScalarAsync("SELECT count(*) FROM fetch_claims"));
    }

    [Fact]
    public async Task Claim_TakesAtMostMaxChunks_AndNeverTheOwnersChunksTwice()
    {
        await using var store = await OpenAsync(_db);
        var owner = Guid.NewGuid();

        var first = await store.FetchCoordinator.ClaimAsync(owner, Btc, Set(M(0, 350)), Plan, maxChunks: 2);
        var second = await store.FetchCoordinator.ClaimAsync(owner, Btc, Set(M(0, 350)), Plan, maxChunks: 2);
        var none = await store.FetchCoordinator.ClaimAsync(owner, Btc, Set(M(0, 350)), Plan, maxChunks: 0);

        Assert.Equal([M(0, 100), M(100, 200)], first.Claimed);
        Assert.Equal([M(200, 300), M(300, 350)], second.Claimed);
        Assert.Empty(none.Claimed);
        Assert.Equal(Set(M(0, 350)), none.Missing);
        Assert.Equal(RangeSet.Empty, none.HeldByOthers);
    }

    [Fact]
    public async Task Claim_LeavesWhatOthersHold_AndReportsIt()
    {
        await using var a = await OpenAsync(_db);
        await using var b = await OpenAsync(_db);
        var (ownerA, ownerB, ownerC) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        var byA = await a.FetchCoordinator.ClaimAsync(ownerA, Btc, Set(M(0, 200)), Plan, maxChunks: 1);
        var byB = await b.FetchCoordinator.ClaimAsync(ownerB, Btc, Set(M(50, 300)), Plan, maxChunks: 10);
        var againByA = await a.FetchCoordinator.ClaimAsync(ownerA, Btc, Set(M(0, 200)), Plan, maxChunks: 10);

        // Another owner in the same process is another caller too.
        var byC = await a.FetchCoordinator.ClaimAsync(ownerC, Btc, Set(M(0, 400)), Plan, maxChunks: 10);

        Assert.Equal([M(0, 100)], byA.Claimed);
        Assert.Equal([M(100, 200), M(200, 300)], byB.Claimed);
        Assert.Equal(Set(M(50, 100)), byB.HeldByOthers);
        Assert.Empty(againByA.Claimed);
        Assert.Equal(Set(M(0, 200)), againByA.Missing);
        Assert.Equal(Set(M(100, 200)), againByA.HeldByOthers);
        Assert.Equal([M(300, 400)], byC.Claimed);
        Assert.Equal(Set(M(0, 300)), byC.HeldByOthers);
    }

    [Fact]
    public async Task Release_WithoutCommit_MakesTheChunkClaimableAgain_AfterCommit_NothingIsLeftToClaim()
    {
        await using var a = await OpenAsync(_db);
        await using var b = await OpenAsync(_db);
        var (ownerA, ownerB) = (Guid.NewGuid(), Guid.NewGuid());
        var failed = Assert.Single((await a.FetchCoordinator.ClaimAsync(ownerA, Btc, Set(M(0, 100)), Plan, 1)).Claimed);
        var fetched = Assert.Single((await a.FetchCoordinator.ClaimAsync(ownerA, Btc, Set(M(100, 200)), Plan, 1)).Claimed);

        // Another owner's release of the same chunk releases nothing.
        await b.FetchCoordinator.ReleaseAsync(ownerB, Btc, failed);
        Assert.Empty((await b.FetchCoordinator.ClaimAsync(ownerB, Btc, Set(M(0, 100)), Plan, 1)).Claimed);

        await a.FetchCoordinator.ReleaseAsync(ownerA, Btc, failed);
        await CoverAsync(a, fetched);
        await a.FetchCoordinator.ReleaseAsync(ownerA, Btc, fetched);
        var result = await b.FetchCoordinator.ClaimAsync(ownerB, Btc, Set(M(0, 200)), Plan, 10);

        Assert.Equal([M(0, 100)], result.Claimed);
        Assert.Equal(Set(M(0, 100)), result.Missing);
        Assert.Equal(RangeSet.Empty, result.HeldByOthers);
    }

    [Fact]
    public async Task Release_OfASeriesNeverClaimed_DoesNothing()
    {
        await using var store = await OpenAsync(_db);

        await store.FetchCoordinator.ReleaseAsync(Guid.NewGuid(), Btc, M(0, 100));
        await store.FetchCoordinator.WaitForOthersAsync(Guid.NewGuid(), Btc, Set(M(0, 100)), TimeSpan.Zero);

        Assert.Equal(0L, await _db.ScalarAsync("SELECT count(*) FROM series"));
    }

    [Fact]
    public async Task Claims_OfOneSeries_NeverOverlap_EvenWrittenByHand()
    {
        await using var store = await OpenAsync(_db);
        await store.FetchCoordinator.ClaimAsync(Guid.NewGuid(), Btc, Set(M(0, 100)), Plan, 1);

        var error = await Assert.ThrowsAsync<PostgresException>(() => _db.ScalarAsync(
            "INSERT INTO fetch_claims SELECT series_id, from_time + interval '1 minute', to_time + interval '1 minute', gen_random_uuid(), holder_pid, holder_started, host, claimed_at FROM fetch_claims"));

        Assert.Equal(PostgresErrorCodes.ExclusionViolation, error.SqlState);
    }

    [Fact]
    public async Task Open_AVersion1Store_AddsFetchClaims_AndKeepsItsCoverage()
    {
        var builder = new NpgsqlConnectionStringBuilder(_db.ConnectionString);
        await using (var source = NpgsqlDataSource.Create(builder))
        await using (var connection = await source.OpenConnectionAsync())
        {
            Assert.Equal(1, await Migrations.ApplyAsync(connection, "test", TimeProvider.System, 1, CancellationToken.None));
        }

        await _db.ScalarAsync(
            $"""
            INSERT INTO series (provider, symbol, timeframe) VALUES ('binance', 'BTCUSDT', '1m');
            INSERT INTO coverage SELECT id, '2024-01-01 00:00+00', '2024-01-01 01:40+00' FROM series;
            """);
        Assert.Equal(true, await _db.ScalarAsync("SELECT to_regclass('fetch_claims') IS NULL"));

        var opened = await Task.WhenAll(OpenAsync(_db), OpenAsync(_db));
        await using var store = opened[0];
        await using var other = opened[1];
        var result = await store.FetchCoordinator.ClaimAsync(Guid.NewGuid(), Btc, Set(M(0, 200)), Plan, 10);

        var latest = PostgresMarketStore.LatestSchemaVersion;
        Assert.Equal((latest, latest), (store.SchemaVersion, other.SchemaVersion));
        Assert.Equal((long)latest, await _db.ScalarAsync("SELECT count(*) FROM gapless_schema_migrations"));
        Assert.Equal([M(100, 200)], result.Claimed);
    }
}
