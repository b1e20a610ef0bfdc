using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Core.Validation;

namespace Gapless.Core.Sync;

/// <summary>Shared requests: many series of one multi-symbol vendor, fetched together.</summary>
public sealed partial class SyncEngine
{
    /// <summary>
    /// Makes <paramref name="range"/> of several series complete, sharing requests where the vendor answers many
    /// symbols at once: series of one timeframe missing the same ranges are fetched together, as many symbols a request
    /// as one page holds (<see cref="ProviderCapabilities.MaxBarsPerRequest"/> counts every symbol's bars there), each
    /// chunk claimed per series, validated and committed per series. What cannot be shared (a range longer than a page,
    /// a part another caller holds, a shared request that failed) is then synced series by series as
    /// <see cref="SyncAsync"/> does. One report per series, in the order given.
    /// </summary>
    /// <exception cref="Errors.InvalidRequestException">The provider does not serve a series' timeframe.</exception>
    public async Task<IReadOnlyList<SyncReport>> SyncManyAsync(
        IMultiSymbolBarProvider provider,
        IReadOnlyList<Series> series,
        TimeRange range,
        IProgress<SyncProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(series);
        var started = _clock.GetTimestamp();
        var calendar = CalendarOf(provider);
        var before = new List<(Series Series, RangeSet Missing)>(series.Count);
        foreach (var s in series)
        {
            var (wanted, _) = Scope(provider, s, range);
            before.Add((s, wanted.Subtract(await _store.GetCoverageAsync(s, cancellationToken).ConfigureAwait(false))));
        }

        var shared = series.Distinct().ToDictionary(s => s, _ => new List<ChunkOutcome>());
        foreach (var group in before.Where(b => !b.Missing.IsEmpty).GroupBy(b => (b.Series.Timeframe, b.Missing)))
        {
            var (timeframe, missing) = group.Key;
            foreach (var chunk in missing)
            {
                var perSymbol = Math.Max(1, calendar.CountExpected(timeframe, chunk));
                var tooLong = provider.Capabilities.MaxSpanFor(timeframe) is { } span && chunk.LengthMs > span.TotalMilliseconds;
                if (perSymbol > provider.Capabilities.MaxBarsPerRequest || tooLong)
                {
                    continue; // more than one page per symbol: nothing to share
                }

                var perRequest = (int)Math.Clamp(provider.Capabilities.MaxBarsPerRequest / perSymbol, 1, Math.Max(1, provider.MaxSymbolsPerRequest));
                foreach (var batch in group.Select(g => g.Series).DistinctBy(s => s.Symbol).Chunk(perRequest))
                {
                    await FetchSharedAsync(provider, batch, timeframe, chunk, shared, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        var reports = new List<SyncReport>(series.Count);
        foreach (var (s, missingBefore) in before)
        {
            var rest = await SyncAsync(provider, s, range, progress, cancellationToken).ConfigureAwait(false);
            var chunks = shared[s].Concat(rest.Chunks.Where(c => !c.Shared)).OrderBy(c => c.Chunk.FromMs).ToList();
            reports.Add(rest with { MissingBefore = missingBefore, Chunks = chunks, Elapsed = _clock.GetElapsedTime(started) });
        }

        return reports;
    }

    /// <summary>
    /// One shared request for <paramref name="chunk"/> of every series in <paramref name="batch"/> this caller can claim
    /// whole. The request's calls go in the fetch log of the first series (one request, logged once). A failed request
    /// leaves the chunk uncovered for the series-by-series pass.
    /// </summary>
    private async Task FetchSharedAsync(
        IMultiSymbolBarProvider provider, Series[] batch, Timeframe timeframe, TimeRange chunk, Dictionary<Series, List<ChunkOutcome>> outcomes, CancellationToken cancellationToken)
    {
        var owner = Guid.NewGuid();
        var wanted = RangeSet.Of(chunk);
        var claimed = new List<Series>(batch.Length);
        foreach (var s in batch)
        {
            var claim = await _coordinator.ClaimAsync(owner, s, wanted, free => free.Equals(wanted) ? [chunk] : [], 1, cancellationToken).ConfigureAwait(false);
            if (claim.Claimed.Count == 1)
            {
                claimed.Add(s);
            }
        }

        if (claimed.Count == 0)
        {
            return;
        }

        var slots = SlotsOf(provider);
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var calls = new VendorCallLog();
            IReadOnlyDictionary<string, IReadOnlyList<Bar>> answer;
            try
            {
                answer = await provider.FetchManyAsync([.. claimed.Select(s => s.Symbol)], timeframe, chunk, calls, cancellationToken).ConfigureAwait(false);
            }
            catch (Errors.VendorException ex)
            {
                await _store.RecordFailureAsync(new ChunkFailure(claimed[0], chunk, calls.Calls, ex.Message), CancellationToken.None).ConfigureAwait(false);
                return;
            }

            // Vendors may spell a symbol in their own case (aapl comes back as AAPL): match without case, so a symbol is
            // never taken for one without bars.
            var bySymbol = new Dictionary<string, IReadOnlyList<Bar>>(answer, StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < claimed.Count; i++)
            {
                var s = claimed[i];
                var bars = bySymbol.TryGetValue(s.Symbol, out var got) ? got : [];
                var checkedBars = BarValidator.Check(bars, timeframe, chunk);
                var requests = i == 0 ? calls.Calls : [];
                var result = await _store.CommitAsync(new ChunkCommit(s, chunk, chunk, checkedBars.Good, checkedBars.Quarantined, requests), CancellationToken.None).ConfigureAwait(false);
                outcomes[s].Add(new ChunkOutcome(
                    chunk, bars.Count == 0 ? ChunkStatus.Empty : ChunkStatus.Fetched, bars.Count, result.BarsStored, checkedBars.Quarantined.Count, requests.Count));
            }
        }
        finally
        {
            slots.Release();
            foreach (var s in claimed)
            {
                await _coordinator.ReleaseAsync(owner, s, chunk, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }
}
