using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Testing.Postgres;
using static Gapless.Storage.Postgres.Tests.Coordination.ClaimKit;

namespace Gapless.Storage.Postgres.Tests.Coordination;

/// <summary>Many workers, each its own store (its own sessions), claiming overlapping ranges at once: each chunk once, never two holders.</summary>
public sealed class FetchCoordinatorConcurrencyTests : IAsyncLifetime
{
    private readonly Lock _gate = new();
    private readonly List<(Guid Owner, TimeRange Chunk)> _inFlight = [];
    private readonly List<TimeRange> _fetched = [];
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestPostgres.NewDatabaseAsync();

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();

    [Fact]
    public async Task Workers_OnIdenticalRanges_SplitThePlanBetweenThem_EachChunkOnce()
    {
        var wanted = Set(M(0, 2_450));

        await RunWorkersAsync(Enumerable.Repeat(wanted, 8).ToArray(), workersPerStore: 2);

        Assert.Equal(Plan(wanted), Sorted(_fetched));
    }

    [Fact]
    public async Task Workers_OnOverlappingRanges_AroundCoverage_FetchEveryMissingChunkOnce_TheFewestChunks()
    {
        // Ranges and coverage on the 100-bar grid, so together they can be fetched in the plan's own chunks.
        await using (var seed = await OpenAsync(_db))
        {
            await CoverAsync(seed, M(300, 500));
            await CoverAsync(seed, M(1_200, 1_300));
        }

        RangeSet[] wanted =
        [
            Set(M(0, 1_000)), Set(M(500, 2_000)), Set(M(0, 2_000)), Set(M(800, 1_500)),
            Set(M(1_400, 2_500)), Set(M(0, 300), M(1_900, 2_500)), Set(M(0, 2_500)), Set(M(600, 700)),
        ];
        var missing = wanted.Aggregate(RangeSet.Empty, (all, w) => all.Union(w)).Subtract(Set(M(300, 500), M(1_200, 1_300)));

        await RunWorkersAsync(wanted, workersPerStore: 2);

        Assert.Equal(Plan(missing), Sorted(_fetched));
        Assert.Equal(22, _fetched.Count);
    }

    /// <summary>
    /// What a sync does with the port: claim a few chunks, fetch and commit each, release it; when others hold what
    /// is left, wait for them and claim again; done when nothing is missing.
    /// </summary>
    private async Task RunWorkersAsync(RangeSet[] wanted, int workersPerStore)
    {
        var stores = await Task.WhenAll(Enumerable.Range(0, (wanted.Length + workersPerStore - 1) / workersPerStore).Select(_ => OpenAsync(_db)));
        try
        {
            using var start = new SemaphoreSlim(0);
            var workers = wanted.Select((w, i) => Task.Run(() => WorkAsync(stores[i / workersPerStore], w, start, i))).ToArray();
            start.Release(workers.Length);
            await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }

        Assert.Equal(0L, await _db.ScalarAsync("SELECT count(*) FROM fetch_claims"));
    }

    private async Task WorkAsync(PostgresMarketStore store, RangeSet wanted, SemaphoreSlim start, int seed)
    {
        var owner = Guid.NewGuid();
        var random = new Random(seed);
        await start.WaitAsync();
        while (true)
        {
            var claim = await store.FetchCoordinator.ClaimAsync(owner, Btc, wanted, Plan, maxChunks: 2);
            Begin(owner, claim.Claimed);
            foreach (var chunk in claim.Claimed)
            {
                await Task.Delay(random.Next(0, 4)); // the vendor call
                await CoverAsync(store, chunk);
                End(owner, chunk);
                await store.FetchCoordinator.ReleaseAsync(owner, Btc, chunk);
            }

            if (claim.Missing.IsEmpty)
            {
                return;
            }

            if (claim.Claimed.Count == 0)
            {
                Assert.False(claim.HeldByOthers.IsEmpty, $"missing {claim.Missing} but nothing claimed and nothing held by others");
                await store.FetchCoordinator.WaitForOthersAsync(owner, Btc, claim.HeldByOthers, TimeSpan.FromSeconds(30));
            }
        }
    }

    /// <summary>Records chunks as in flight, failing if any overlaps a chunk another worker has in flight or was fetched already.</summary>
    private void Begin(Guid owner, IReadOnlyList<TimeRange> chunks)
    {
        lock (_gate)
        {
            foreach (var chunk in chunks)
            {
                Assert.DoesNotContain(_inFlight, f => f.Chunk.Overlaps(chunk));
                Assert.DoesNotContain(_fetched, f => f.Overlaps(chunk));
                _inFlight.Add((owner, chunk));
            }
        }
    }

    /// <summary>Committed: no longer in flight (removed before the release, so in flight here is always held there).</summary>
    private void End(Guid owner, TimeRange chunk)
    {
        lock (_gate)
        {
            Assert.True(_inFlight.Remove((owner, chunk)));
            _fetched.Add(chunk);
        }
    }

    private static List<TimeRange> Sorted(IEnumerable<TimeRange> chunks) => [.. chunks.Order()];
}
