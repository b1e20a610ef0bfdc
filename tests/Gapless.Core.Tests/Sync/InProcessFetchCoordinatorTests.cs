using Gapless.Core.Model;
using Gapless.Core.Planning;
using Gapless.Core.Ports;
using Gapless.Core.Sync;
using Gapless.Testing;
using Gapless.Testing.Fakes;

namespace Gapless.Core.Tests.Sync;

public sealed class InProcessFetchCoordinatorTests
{
    private static readonly Series Series = new("scripted", "BTCUSDT", Timeframe.M1);
    private static readonly ProviderCapabilities Caps = new(1000, 2, null, Timeframe.All, TimeSpan.Zero);

    private static IReadOnlyList<TimeRange> Plan(RangeSet r) => ChunkPlanner.Plan(r, Timeframe.M1, Caps);

    [Fact]
    public async Task Claim_ChunkCommittedAndReleasedWhileCoverageIsBeingRead_IsNotClaimedAgain()
    {
        var store = new InMemoryMarketStore();
        var slowReader = new StaleCoverageReader(store);
        var coordinator = new InProcessFetchCoordinator(slowReader, new ManualTimeProvider(DateTimeOffset.UnixEpoch));
        var wanted = RangeSet.Of(new TimeRange(0, 2000 * 60_000L));
        var a = Guid.NewGuid();
        var first = await coordinator.ClaimAsync(a, Series, wanted, Plan, 1);
        var x = Assert.Single(first.Claimed);

        // B reads coverage before A's commit, and gets the answer only after A has committed and released.
        slowReader.Arm();
        var b = coordinator.ClaimAsync(Guid.NewGuid(), Series, wanted, Plan, 2);
        await slowReader.Read;
        await store.CommitAsync(new ChunkCommit(Series, x, x, [], [], []));
        await coordinator.ReleaseAsync(a, Series, x);
        slowReader.Answer();
        var second = await b;

        Assert.DoesNotContain(x, second.Claimed);
        Assert.Equal([new TimeRange(1000 * 60_000L, 2000 * 60_000L)], second.Claimed);
    }

    [Fact]
    public async Task WaitForOthers_ReturnsWhenTheirClaimIsReleased_AndTimesOutWithAClearMessage()
    {
        var store = new InMemoryMarketStore();
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var coordinator = new InProcessFetchCoordinator(store, clock);
        var wanted = RangeSet.Of(new TimeRange(0, 1000 * 60_000L));
        var holder = Guid.NewGuid();
        var chunk = Assert.Single((await coordinator.ClaimAsync(holder, Series, wanted, Plan, 1)).Claimed);
        var waiter = Guid.NewGuid();

        var waiting = coordinator.WaitForOthersAsync(waiter, Series, wanted, TimeSpan.FromMinutes(1));
        Assert.False(waiting.IsCompleted);
        await coordinator.ReleaseAsync(holder, Series, chunk);
        await waiting;

        var again = Assert.Single((await coordinator.ClaimAsync(holder, Series, wanted, Plan, 1)).Claimed);
        var timingOut = coordinator.WaitForOthersAsync(waiter, Series, wanted, TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(31));
        var error = await Assert.ThrowsAsync<Gapless.Core.Errors.StoreException>(() => timingOut);
        Assert.Contains($"waited 30 s for another caller fetching {Series}", error.Message, StringComparison.Ordinal);
        Assert.Equal(chunk, again);
    }

    /// <summary>A reader whose coverage answer, when armed, is read at once but handed over only on <see cref="Answer"/>.</summary>
    private sealed class StaleCoverageReader(InMemoryMarketStore inner) : IBarReader
    {
        private TaskCompletionSource? _read;
        private TaskCompletionSource? _answer;

        public Task Read => _read!.Task;

        public void Arm()
        {
            _read = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public void Answer() => _answer!.SetResult();

        public async Task<RangeSet> GetCoverageAsync(Series series, CancellationToken cancellationToken = default)
        {
            var coverage = await inner.GetCoverageAsync(series, cancellationToken);
            if (_answer is { } answer)
            {
                _read!.SetResult();
                await answer.Task;
            }

            return coverage;
        }

        public Task<BarFrame> ReadAsync(Series series, TimeRange range, CancellationToken cancellationToken = default) => inner.ReadAsync(series, range, cancellationToken);

        public Task<IReadOnlyList<SeriesSummary>> ListSeriesAsync(SeriesFilter filter, CancellationToken cancellationToken = default) => inner.ListSeriesAsync(filter, cancellationToken);

        public Task<IReadOnlyList<QuarantinedBar>> ReadQuarantineAsync(Series series, CancellationToken cancellationToken = default) => inner.ReadQuarantineAsync(series, cancellationToken);

        public Task<IReadOnlyList<FetchLogEntry>> ReadFetchLogAsync(Series series, CancellationToken cancellationToken = default) => inner.ReadFetchLogAsync(series, cancellationToken);
    }
}
