using System.Diagnostics;
using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Testing.Postgres;
using static Gapless.Storage.Postgres.Tests.Coordination.ClaimKit;

namespace Gapless.Storage.Postgres.Tests.Coordination;

/// <summary>A claim lives as long as its holder's session: killed or closed, it stops blocking anyone; held, a wait times out and says by whom.</summary>
public sealed class FetchCoordinatorLivenessTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestPostgres.NewDatabaseAsync();

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();

    [Fact]
    public async Task Wait_WhenTheHoldersSessionIsKilled_Returns_AndAnotherClaimsTheChunk_WhileTheHolderCarriesOn()
    {
        await using var holder = await OpenAsync(_db);
        await using var waiter = await OpenAsync(_db);
        var (ownerA, ownerB) = (Guid.NewGuid(), Guid.NewGuid());
        await holder.FetchCoordinator.ClaimAsync(ownerA, Btc, Set(M(0, 200)), Plan, 1);
        var blocked = await waiter.FetchCoordinator.ClaimAsync(ownerB, Btc, Set(M(0, 100)), Plan, 1);
        Assert.Equal(Set(M(0, 100)), blocked.HeldByOthers);
        var pid = await HolderPidAsync(_db, ownerA);

        var watch = Stopwatch.StartNew();
        var wait = waiter.FetchCoordinator.WaitForOthersAsync(ownerB, Btc, blocked.HeldByOthers, TimeSpan.FromSeconds(20));
        await Task.Delay(200);
        Assert.False(wait.IsCompleted);

        // What the server sees when a worker is killed with SIGKILL: its sessions end.
        await _db.ScalarAsync($"SELECT pg_terminate_backend({pid})");
        await wait;
        watch.Stop();
        var takenOver = await waiter.FetchCoordinator.ClaimAsync(ownerB, Btc, Set(M(0, 100)), Plan, 1);

        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.2), TimeSpan.FromSeconds(5));
        Assert.Equal([M(0, 100)], takenOver.Claimed);
        Assert.Equal(RangeSet.Empty, takenOver.HeldByOthers);

        // The holder's claims died with its session; it opens a new one and claims on.
        var carriesOn = await holder.FetchCoordinator.ClaimAsync(ownerA, Btc, Set(M(0, 200)), Plan, 10);
        Assert.Equal([M(100, 200)], carriesOn.Claimed);
        Assert.Equal(Set(M(0, 100)), carriesOn.HeldByOthers);
        Assert.NotEqual(pid, await HolderPidAsync(_db, ownerA));
        Assert.Equal(2L, await _db.ScalarAsync("SELECT count(*) FROM fetch_claims"));
    }

    [Fact]
    public async Task Wait_WhenTheHoldersStoreIsDisposedWithoutReleasing_Returns_AndTheChunkIsClaimable()
    {
        var holder = await OpenAsync(_db);
        await using var waiter = await OpenAsync(_db);
        var (ownerA, ownerB) = (Guid.NewGuid(), Guid.NewGuid());
        await holder.FetchCoordinator.ClaimAsync(ownerA, Btc, Set(M(0, 100)), Plan, 1);

        var wait = waiter.FetchCoordinator.WaitForOthersAsync(ownerB, Btc, Set(M(0, 100)), TimeSpan.FromSeconds(20));
        await Task.Delay(100);
        Assert.False(wait.IsCompleted);
        await holder.DisposeAsync();
        await wait;

        Assert.Equal([M(0, 100)], (await waiter.FetchCoordinator.ClaimAsync(ownerB, Btc, Set(M(0, 100)), Plan, 1)).Claimed);
        Assert.Equal(1L, await _db.ScalarAsync("SELECT count(*) FROM fetch_claims"));
    }

    [Fact]
    public async Task Wait_WhenTheHolderReleases_Returns_AndWhatItCommittedIsNotMissing()
    {
        await using var holder = await OpenAsync(_db);
        await using var waiter = await OpenAsync(_db);
        var (ownerA, ownerB) = (Guid.NewGuid(), Guid.NewGuid());
        var chunks = (await holder.FetchCoordinator.ClaimAsync(ownerA, Btc, Set(M(0, 200)), Plan, 2)).Claimed;

        var wait = waiter.FetchCoordinator.WaitForOthersAsync(ownerB, Btc, Set(M(50, 150)), TimeSpan.FromSeconds(20));
        await CoverAsync(holder, chunks[0]);
        await holder.FetchCoordinator.ReleaseAsync(ownerA, Btc, chunks[0]);
        await Task.Delay(100);
        Assert.False(wait.IsCompleted);
        await holder.FetchCoordinator.ReleaseAsync(ownerA, Btc, chunks[1]); // failed: released uncovered
        await wait;
        var result = await waiter.FetchCoordinator.ClaimAsync(ownerB, Btc, Set(M(50, 150)), Plan, 10);

        Assert.Equal(Set(M(100, 150)), result.Missing);
        Assert.Equal([M(100, 150)], result.Claimed);
    }

    [Fact]
    public async Task Wait_WhileAnotherHolds_TimesOutAndSaysWhoHoldsWhat()
    {
        await using var holder = await OpenAsync(_db);
        await using var waiter = await OpenAsync(_db);
        var (ownerA, ownerB) = (Guid.NewGuid(), Guid.NewGuid());
        await holder.FetchCoordinator.ClaimAsync(ownerA, Btc, Set(M(0, 200)), Plan, 2);
        var pid = await HolderPidAsync(_db, ownerA);
        var since = (DateTime)(await _db.ScalarAsync("SELECT min(claimed_at) FROM fetch_claims"))!;

        // Its own claims never block an owner, nor do others' claims elsewhere.
        await holder.FetchCoordinator.WaitForOthersAsync(ownerA, Btc, Set(M(0, 200)), TimeSpan.Zero);
        await waiter.FetchCoordinator.WaitForOthersAsync(ownerB, Btc, Set(M(200, 300)), TimeSpan.Zero);

        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<StoreException>(
            () => waiter.FetchCoordinator.WaitForOthersAsync(ownerB, Btc, Set(M(150, 160), M(170, 300)), TimeSpan.FromSeconds(0.4)));
        watch.Stop();

        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.4), TimeSpan.FromSeconds(5));
        Assert.True(error.IsLocked);
        Assert.Equal(
            $"Gave up after 0.4 s waiting for binance:BTCUSDT:1m {M(100, 200)} in {waiter.Location}: another Gapless worker (host {Environment.MachineName}, "
            + $"PostgreSQL session pid {pid}) has been fetching it since {UtcTime.ToIso(new DateTimeOffset(since).ToUnixTimeMilliseconds())}. "
            + $"If that worker is stuck, stop it or run SELECT pg_terminate_backend({pid}); otherwise try again later.",
            error.Message);
    }

    [Fact]
    public async Task Wait_Cancelled_StopsWaiting()
    {
        await using var holder = await OpenAsync(_db);
        await using var waiter = await OpenAsync(_db);
        await holder.FetchCoordinator.ClaimAsync(Guid.NewGuid(), Btc, Set(M(0, 100)), Plan, 1);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => waiter.FetchCoordinator.WaitForOthersAsync(Guid.NewGuid(), Btc, Set(M(0, 100)), Timeout.InfiniteTimeSpan, cancel.Token));
    }

    [Fact]
    public async Task Claims_OfADisposedStore_AreDeletedByTheNextClaimOfTheSeries()
    {
        var gone = await OpenAsync(_db);
        await gone.FetchCoordinator.ClaimAsync(Guid.NewGuid(), Btc, Set(M(0, 300)), Plan, 3);
        await gone.DisposeAsync();
        await using var store = await OpenAsync(_db);
        await WaitUntilGoneAsync(); // the server ends a closed session a moment after the client leaves

        var result = await store.FetchCoordinator.ClaimAsync(Guid.NewGuid(), Btc, Set(M(0, 100)), Plan, 1);

        Assert.Equal([M(0, 100)], result.Claimed);
        Assert.Equal(1L, await _db.ScalarAsync("SELECT count(*) FROM fetch_claims"));
    }

    private async Task WaitUntilGoneAsync()
    {
        var watch = Stopwatch.StartNew();
        while ((long)(await _db.ScalarAsync(
            "SELECT count(*) FROM fetch_claims c WHERE EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = c.holder_pid AND a.backend_start = c.holder_started)"))! > 0)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), "the disposed store's session is still alive");
            await Task.Delay(20);
        }
    }
}
