using System.Collections.Concurrent;
using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Planning;
using Gapless.Core.Ports;
using Gapless.Core.Validation;

namespace Gapless.Core.Sync;

/// <summary>
/// Makes a range of a series complete (DESIGN.md, "The flow of one request"): missing = (range before the
/// finalization horizon) − coverage; the missing ranges are planned into the fewest vendor requests; chunks are
/// fetched concurrently (bounded per provider), validated, and each committed with the coverage it proves in one
/// transaction. Overlapping callers in one process share chunks in flight. A failed chunk stays uncovered, so the
/// next run retries it; failed is never confused with empty. Thread-safe; one instance per store.
/// </summary>
public sealed class SyncEngine
{
    private readonly IMarketStore _store;
    private readonly TimeProvider _clock;
    private readonly SyncOptions _options;
    private readonly InFlightChunks _inFlight = new();
    private readonly ConcurrentDictionary<Series, SemaphoreSlim> _seriesGates = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _providerSlots = new(StringComparer.Ordinal);

    public SyncEngine(IMarketStore store, TimeProvider clock, SyncOptions? options = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _options = options ?? new SyncOptions();
    }

    /// <summary>What <see cref="SyncAsync"/> would fetch now, from coverage alone.</summary>
    public async Task<SyncPlan> PlanAsync(IBarProvider provider, Series series, TimeRange range, CancellationToken cancellationToken = default)
    {
        var (wanted, horizon) = Scope(provider, series, range);
        var coverage = await _store.GetCoverageAsync(series, cancellationToken).ConfigureAwait(false);
        var missing = wanted.Subtract(coverage);
        var chunks = ChunkPlanner.Plan(missing, series.Timeframe, provider.Capabilities);
        var bars = missing.Sum(r => series.Timeframe.CountBars(r));
        var weight = (long)chunks.Count * provider.Capabilities.RequestWeight;
        return new SyncPlan(series, series.Timeframe.AlignOutward(range), horizon, missing, chunks, bars, weight, EstimateWait(weight, provider.Capabilities.Budget));
    }

    /// <summary>Fetches what is missing of <paramref name="range"/> and reports per chunk. Vendor failures are outcomes, not exceptions.</summary>
    /// <exception cref="InvalidRequestException">The provider does not serve the series' timeframe.</exception>
    /// <exception cref="StoreException">The store failed; chunks committed before stay committed.</exception>
    public async Task<SyncReport> SyncAsync(
        IBarProvider provider,
        Series series,
        TimeRange range,
        IProgress<SyncProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var started = _clock.GetTimestamp();
        var (wanted, horizon) = Scope(provider, series, range);

        var (missing, owned, joined) = await ClaimAsync(provider, series, wanted, cancellationToken).ConfigureAwait(false);
        var tracker = new ProgressTracker(series, owned.Count + joined.Count, progress);

        using var run = new SyncRun(cancellationToken);
        var ownedTasks = owned.Select(e => RunOwnedAsync(provider, series, e, tracker, run)).ToList();
        var joinedTasks = joined.Select(e => AwaitSharedAsync(e, tracker)).ToList();
        var outcomes = await Task.WhenAll(ownedTasks.Concat(joinedTasks)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        var coverage = await _store.GetCoverageAsync(series, cancellationToken).ConfigureAwait(false);
        var ordered = outcomes.OrderBy(o => o.Chunk.FromMs).ToList();
        return new SyncReport(series, range, horizon, missing, wanted.Subtract(coverage), ordered, _clock.GetElapsedTime(started));
    }

    private (RangeSet Wanted, long HorizonMs) Scope(IBarProvider provider, Series series, TimeRange range)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(series);
        if (!provider.Capabilities.Timeframes.Contains(series.Timeframe))
        {
            throw new InvalidRequestException(
                $"{provider.Name} does not serve timeframe {series.Timeframe.Code}; use one of {string.Join(' ', provider.Capabilities.Timeframes.Select(t => t.Code))}");
        }

        var tf = series.Timeframe;
        var now = _clock.GetUtcNow() - provider.Capabilities.FinalizationDelay;

        // Bars opening before the horizon closed at least FinalizationDelay ago: their values are final.
        var horizon = tf.Floor(UtcTime.ToEpochMs(now));
        var aligned = tf.AlignOutward(range);
        var wanted = aligned.FromMs < horizon
            ? RangeSet.Of(new TimeRange(aligned.FromMs, Math.Min(aligned.ToMs, horizon)))
            : RangeSet.Empty;
        return (wanted, horizon);
    }

    /// <summary>
    /// Under the series' gate: reads coverage, joins the chunks already in flight and registers the rest as ours.
    /// Coverage is read inside the gate and chunks leave the in-flight set only after their commit, so no chunk
    /// can slip between "in flight" and "covered" and be fetched twice.
    /// </summary>
    private async Task<(RangeSet Missing, List<InFlightChunks.Entry> Owned, List<InFlightChunks.Entry> Joined)> ClaimAsync(
        IBarProvider provider, Series series, RangeSet wanted, CancellationToken cancellationToken)
    {
        var gate = _seriesGates.GetOrAdd(series, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var coverage = await _store.GetCoverageAsync(series, cancellationToken).ConfigureAwait(false);
            var missing = wanted.Subtract(coverage);
            var inFlight = _inFlight.Snapshot(series);
            var joined = inFlight.Where(e => missing.Intersect(e.Chunk).Count > 0).ToList();
            var toFetch = missing.Subtract(RangeSet.Of(inFlight.Select(e => e.Chunk)));
            var owned = ChunkPlanner.Plan(toFetch, series.Timeframe, provider.Capabilities)
                .Select(c => new InFlightChunks.Entry(c))
                .ToList();
            _inFlight.Add(series, owned);
            return (missing, owned, joined);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<ChunkOutcome> RunOwnedAsync(
        IBarProvider provider, Series series, InFlightChunks.Entry entry, ProgressTracker tracker, SyncRun run)
    {
        ChunkOutcome outcome;
        try
        {
            outcome = await FetchChunkAsync(provider, series, entry.Chunk, run).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            entry.Completion.TrySetException(ex);
            _inFlight.Remove(series, entry);
            throw;
        }

        entry.Completion.TrySetResult(outcome);
        _inFlight.Remove(series, entry);
        tracker.ChunkDone(outcome);
        return outcome;
    }

    private static async Task<ChunkOutcome> AwaitSharedAsync(InFlightChunks.Entry entry, ProgressTracker tracker)
    {
        ChunkOutcome outcome;
        try
        {
            var theirs = await entry.Completion.Task.ConfigureAwait(false);
            outcome = theirs with { Requests = 0, Shared = true };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            outcome = new ChunkOutcome(entry.Chunk, ChunkStatus.Failed, 0, 0, 0, 0, $"the caller fetching this chunk failed: {ex.Message}", Shared: true);
        }

        tracker.ChunkDone(outcome);
        return outcome;
    }

    private async Task<ChunkOutcome> FetchChunkAsync(IBarProvider provider, Series series, TimeRange chunk, SyncRun run)
    {
        var slots = _providerSlots.GetOrAdd(
            provider.Name,
            _ => new SemaphoreSlim(Math.Max(1, Math.Min(_options.MaxConcurrency, provider.Capabilities.MaxConcurrency))));
        try
        {
            await slots.WaitAsync(run.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return run.Skipped(chunk);
        }

        try
        {
            if (run.IsStopped)
            {
                return run.Skipped(chunk);
            }

            var calls = new VendorCallLog();
            IReadOnlyList<Bar> bars;
            try
            {
                bars = await provider.FetchAsync(series, chunk, calls, run.Token).ConfigureAwait(false);
            }
            catch (VendorException ex)
            {
                if (!ex.IsTransient)
                {
                    // The same refusal would fail every other chunk: stop asking.
                    run.Stop(ex.Message);
                }

                await _store.RecordFailureAsync(new ChunkFailure(series, chunk, calls.Calls, ex.Message), CancellationToken.None).ConfigureAwait(false);
                return new ChunkOutcome(chunk, ChunkStatus.Failed, 0, 0, 0, calls.Calls.Count, ex.Message, ex.Kind);
            }
            catch (OperationCanceledException) when (run.IsStopped)
            {
                return run.Skipped(chunk, calls.Calls.Count);
            }

            var checkedBars = BarValidator.Check(bars, series.Timeframe, chunk);
            var commit = new ChunkCommit(series, chunk, chunk, checkedBars.Good, checkedBars.Quarantined, calls.Calls);
            var result = await _store.CommitAsync(commit, CancellationToken.None).ConfigureAwait(false);
            return new ChunkOutcome(
                chunk,
                bars.Count == 0 ? ChunkStatus.Empty : ChunkStatus.Fetched,
                bars.Count,
                result.BarsStored,
                checkedBars.Quarantined.Count,
                calls.Calls.Count);
        }
        finally
        {
            slots.Release();
        }
    }

    private static TimeSpan EstimateWait(long weight, RateBudget? budget)
    {
        if (budget is null || budget.Weight <= 0 || weight <= budget.Weight)
        {
            return TimeSpan.Zero;
        }

        // Each full budget beyond the first costs one window.
        return budget.Window * ((weight - 1) / budget.Weight);
    }
}
