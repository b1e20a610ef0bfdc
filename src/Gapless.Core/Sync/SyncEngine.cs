using System.Collections.Concurrent;
using Gapless.Core.Calendars;
using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Planning;
using Gapless.Core.Ports;
using Gapless.Core.Validation;

namespace Gapless.Core.Sync;

/// <summary>
/// Makes a range of a series complete (DESIGN.md, "The flow of one request"): missing = (range before the
/// finalization horizon) − coverage, planned into the fewest vendor requests; chunks are claimed through the
/// <see cref="IFetchCoordinator"/> a few at a time (so overlapping callers, in this process or in other workers
/// sharing the store, fetch each chunk once and split large ranges), fetched concurrently, validated, and each
/// committed with the coverage it proves in one transaction. A failed chunk stays uncovered, so the next run
/// retries it; failed is never confused with empty. Thread-safe; one instance per store.
/// </summary>
public sealed partial class SyncEngine
{
    private readonly IMarketStore _store;
    private readonly TimeProvider _clock;
    private readonly SyncOptions _options;
    private readonly IFetchCoordinator _coordinator;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _providerSlots = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ITradingCalendar> _calendars = new(StringComparer.Ordinal);

    /// <param name="store">Where bars and coverage are committed.</param>
    /// <param name="clock">Now, for the finalization horizon and elapsed times.</param>
    /// <param name="options">Concurrency and wait limits; defaults when null.</param>
    /// <param name="coordinator">Who fetches what; in-process single-flight when null.</param>
    public SyncEngine(IMarketStore store, TimeProvider clock, SyncOptions? options = null, IFetchCoordinator? coordinator = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _options = options ?? new SyncOptions();
        _coordinator = coordinator ?? new InProcessFetchCoordinator(store, clock);
    }

    /// <summary>What <see cref="SyncAsync"/> would fetch now, from coverage alone.</summary>
    public async Task<SyncPlan> PlanAsync(IBarProvider provider, Series series, TimeRange range, CancellationToken cancellationToken = default)
    {
        var (wanted, horizon) = Scope(provider, series, range);
        var calendar = CalendarOf(provider);
        var coverage = await _store.GetCoverageAsync(series, cancellationToken).ConfigureAwait(false);
        var missing = wanted.Subtract(coverage);
        var chunks = ChunkPlanner.PlanStartingIn(Reach(wanted, horizon, series, provider).Subtract(coverage), wanted, series.Timeframe, provider.Capabilities, calendar: calendar);
        var bars = missing.Sum(r => calendar.CountExpected(series.Timeframe, r));
        var weight = (long)chunks.Count * provider.Capabilities.RequestWeight;
        return new SyncPlan(series, series.Timeframe.AlignOutward(range), horizon, missing, chunks, bars, weight, provider.Capabilities.Budget?.EstimateWait(weight) ?? TimeSpan.Zero);
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
        var missingBefore = wanted.Subtract(await _store.GetCoverageAsync(series, cancellationToken).ConfigureAwait(false));
        var calendar = CalendarOf(provider);
        IReadOnlyList<TimeRange> Plan(RangeSet r) => ChunkPlanner.Plan(r, series.Timeframe, provider.Capabilities, calendar: calendar);
        long Count(RangeSet r) => ChunkPlanner.Count(r, series.Timeframe, provider.Capabilities, calendar);

        using var run = new SyncRun(cancellationToken);
        var state = new SyncState(series, wanted, (int)Count(missingBefore), progress);
        var workers = Math.Max(1, Math.Min(_options.MaxConcurrency, provider.Capabilities.MaxConcurrency));
        var tail = Reach(wanted, horizon, series, provider).Subtract(wanted);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => WorkAsync(provider, series, state, tail, run))).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        var coverage = await _store.GetCoverageAsync(series, cancellationToken).ConfigureAwait(false);
        var outcomes = state.Outcomes(missingBefore, coverage, run, Plan);
        return new SyncReport(series, range, horizon, missingBefore, wanted.Subtract(coverage), outcomes, _clock.GetElapsedTime(started));
    }

    /// <summary>
    /// One of a sync's concurrent workers: claims one chunk at a time and fetches it; when every missing chunk is
    /// claimed by someone else, waits for them and claims again (so chunks a failed or dead holder left are taken
    /// over). Ends when nothing is left to claim or wait for, or the run stops. <paramref name="tail"/> is what the
    /// last chunk may run into past the wanted range (<see cref="SyncOptions.ExtendLastChunk"/>): claimed with the
    /// chunk that starts before it, never waited for.
    /// </summary>
    private async Task WorkAsync(IBarProvider provider, Series series, SyncState state, RangeSet tail, SyncRun run)
    {
        var owner = Guid.NewGuid();
        var calendar = CalendarOf(provider);
        while (!run.IsStopped)
        {
            var stillWanted = state.StillWanted;

            // Claims plan only the chunk they take: planning a ten-year range per claim would be quadratic.
            IReadOnlyList<TimeRange> PlanFirst(RangeSet free) => ChunkPlanner.PlanStartingIn(free, stillWanted, series.Timeframe, provider.Capabilities, 1, calendar);
            ClaimResult claim;
            try
            {
                var reached = await _coordinator.ClaimAsync(owner, series, stillWanted.Union(tail), PlanFirst, 1, run.Token).ConfigureAwait(false);
                claim = reached with { Missing = reached.Missing.Intersect(stillWanted), HeldByOthers = reached.HeldByOthers.Intersect(stillWanted) };
            }
            catch (OperationCanceledException) when (run.IsStopped)
            {
                return;
            }

            state.SawMissing((int)ChunkPlanner.Count(claim.Missing, series.Timeframe, provider.Capabilities, calendar));
            if (claim.Claimed.Count > 0)
            {
                var chunk = claim.Claimed[0];
                try
                {
                    // Recorded before the claim ends: this sync's other workers, woken by the release, must already see a
                    // failed chunk as given up, or one of them would fetch it again in the same sync.
                    state.Record(await FetchChunkAsync(provider, series, chunk, run).ConfigureAwait(false));
                }
                finally
                {
                    await _coordinator.ReleaseAsync(owner, series, chunk, CancellationToken.None).ConfigureAwait(false);
                }

                continue;
            }

            if (claim.HeldByOthers.IsEmpty)
            {
                return; // what is left is being fetched by this sync's other workers
            }

            try
            {
                await _coordinator.WaitForOthersAsync(owner, series, claim.HeldByOthers, _options.SharedChunkTimeout, run.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (run.IsStopped)
            {
                return;
            }
            catch (StoreException ex)
            {
                // Give up on what the stuck holder has; the rest of the range goes on.
                foreach (var held in claim.HeldByOthers)
                {
                    state.Record(new ChunkOutcome(held, ChunkStatus.Failed, 0, 0, 0, 0, ex.Message));
                }
            }
        }
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
        var horizon = FinalizationHorizon.Of(_clock.GetUtcNow(), tf, provider.Capabilities, CalendarOf(provider));
        var aligned = tf.AlignOutward(range);
        var wanted = aligned.FromMs < horizon
            ? RangeSet.Of(new TimeRange(aligned.FromMs, Math.Min(aligned.ToMs, horizon)))
            : RangeSet.Empty;
        return (wanted, horizon);
    }

    /// <summary>Bounds this process's requests to one vendor across concurrent syncs.</summary>
    private SemaphoreSlim SlotsOf(IBarProvider provider)
        => _providerSlots.GetOrAdd(
            provider.Name,
            _ => new SemaphoreSlim(Math.Max(1, Math.Min(_options.MaxConcurrency, provider.Capabilities.MaxConcurrency))));

    /// <summary>The calendar of the market the provider serves: chunks hold up to a page of the bars it expects.</summary>
    private ITradingCalendar CalendarOf(IBarProvider provider)
        => _calendars.GetOrAdd(provider.Capabilities.Calendar, TradingCalendars.Get);

    /// <summary>The wanted range, and with <see cref="SyncOptions.ExtendLastChunk"/> the tail its last chunk may run into.</summary>
    private RangeSet Reach(RangeSet wanted, long horizonMs, Series series, IBarProvider provider)
        => _options.ExtendLastChunk && wanted.Span is { } span
            ? wanted.Union(ChunkPlanner.Tail(span, horizonMs, series.Timeframe, provider.Capabilities))
            : wanted;

    private async Task<ChunkOutcome> FetchChunkAsync(IBarProvider provider, Series series, TimeRange chunk, SyncRun run)
    {
        var slots = SlotsOf(provider);
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
}
