using System.Collections.Concurrent;
using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;

namespace Gapless.Core.Sync;

/// <summary>
/// The single-flight of one process: claims live in memory, so callers in this process never fetch a chunk twice.
/// The default for stores that one process writes (SQLite); stores shared by many processes bring their own
/// coordinator. Thread-safe.
/// </summary>
public sealed class InProcessFetchCoordinator : IFetchCoordinator
{
    private readonly IBarReader _store;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private readonly List<Claim> _claims = [];
    private readonly ConcurrentDictionary<Series, SemaphoreSlim> _seriesGates = new();

    public InProcessFetchCoordinator(IBarReader store, TimeProvider clock)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
    }

    public async Task<ClaimResult> ClaimAsync(
        Guid owner, Series series, RangeSet wanted, Func<RangeSet, IReadOnlyList<TimeRange>> plan, int maxChunks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        ArgumentNullException.ThrowIfNull(plan);

        // Claims of the series are added only under its gate, and a claim ends only after its commit. Taking the
        // claims BEFORE reading coverage means a chunk released in between is seen as claimed (and waited for, a
        // no-op) rather than as missing: it can never be planned twice.
        var seriesGate = _seriesGates.GetOrAdd(series, _ => new SemaphoreSlim(1, 1));
        await seriesGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            List<Claim> live;
            lock (_gate)
            {
                live = _claims.Where(c => c.Series == series).ToList();
            }

            var coverage = await _store.GetCoverageAsync(series, cancellationToken).ConfigureAwait(false);
            var missing = wanted.Subtract(coverage);
            var others = RangeSet.Of(live.Where(c => c.Owner != owner).Select(c => c.Chunk));
            var free = missing.Subtract(RangeSet.Of(live.Select(c => c.Chunk)));
            var claimed = plan(free).Take(Math.Max(0, maxChunks)).ToList();
            lock (_gate)
            {
                _claims.AddRange(claimed.Select(c => new Claim(owner, series, c)));
            }

            return new ClaimResult(missing, claimed, missing.Intersect(others));
        }
        finally
        {
            seriesGate.Release();
        }
    }

    public Task ReleaseAsync(Guid owner, Series series, TimeRange chunk, CancellationToken cancellationToken = default)
    {
        Claim? released;
        lock (_gate)
        {
            released = _claims.Find(c => c.Owner == owner && c.Series == series && c.Chunk == chunk);
            if (released is not null)
            {
                _claims.Remove(released);
            }
        }

        released?.Released.TrySetResult();
        return Task.CompletedTask;
    }

    public async Task WaitForOthersAsync(Guid owner, Series series, RangeSet range, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(range);
        var deadline = _clock.GetTimestamp();
        while (true)
        {
            List<Claim> blocking;
            lock (_gate)
            {
                blocking = _claims.Where(c => c.Series == series && c.Owner != owner && range.Intersect(c.Chunk).Count > 0).ToList();
            }

            if (blocking.Count == 0)
            {
                return;
            }

            var left = timeout - _clock.GetElapsedTime(deadline);
            if (left <= TimeSpan.Zero)
            {
                throw new StoreException($"waited {timeout.TotalSeconds:0} s for another caller fetching {series} {blocking[0].Chunk}; it may be stuck: try again");
            }

            try
            {
                await Task.WhenAny(blocking.Select(c => c.Released.Task)).WaitAsync(left, _clock, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Loop once more: the message above says what was waited for.
            }
        }
    }

    private sealed record Claim(Guid Owner, Series Series, TimeRange Chunk)
    {
        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
