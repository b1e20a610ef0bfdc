using Gapless.Core.Calendars;
using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Core.Quality;
using Gapless.Core.Sync;

namespace Gapless.Core.Backfill;

/// <summary>
/// Fills many series of one provider: measures what each is missing, skips the complete ones, and syncs the others
/// batch by batch (a few at a time inside a batch, all through the provider's one rate limiter), so only missing bars
/// are fetched. A series that fails is reported and the others go on. Safe beside another process syncing the same
/// series: chunks are claimed through the sync engine's coordinator, and commits are idempotent.
/// </summary>
public sealed class BackfillRunner
{
    private readonly MarketData _data;
    private readonly TimeProvider _clock;
    private readonly QualityCheck _quality;

    public BackfillRunner(MarketData data, TimeProvider clock)
    {
        _data = data ?? throw new ArgumentNullException(nameof(data));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _quality = new QualityCheck(data.Reader, clock);
    }

    /// <summary>What <see cref="RunAsync"/> would fetch, from coverage alone; nothing is fetched.</summary>
    public async Task<BackfillPlan> PlanAsync(BackfillRequest request, CancellationToken cancellationToken = default)
    {
        Validate(request);
        var provider = _data.Providers.Get(request.Provider);
        var plans = new List<SyncPlan>();
        var complete = new List<Series>();
        foreach (var series in request.Series)
        {
            var plan = await _data.PlanAsync(series, request.Range, cancellationToken).ConfigureAwait(false);
            if (plan.Chunks.Count == 0)
            {
                complete.Add(series);
            }
            else
            {
                plans.Add(plan);
            }
        }

        var batches = Batches(plans.Count, request.BatchSize);
        var weight = plans.Sum(p => p.Weight);
        var wait = (provider.Capabilities.Budget?.EstimateWait(weight) ?? TimeSpan.Zero) + (request.Delay * Math.Max(0, batches - 1));
        return new BackfillPlan(plans, complete, batches, wait);
    }

    /// <summary>Runs the backfill. Vendor failures are per-series results, not exceptions.</summary>
    /// <exception cref="StoreException">The store failed; what was committed stays.</exception>
    public async Task<BackfillReport> RunAsync(BackfillRequest request, IProgress<BackfillProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Validate(request);
        var started = _clock.GetTimestamp();
        var provider = _data.Providers.Get(request.Provider);
        var calendar = request.Calendar ?? TradingCalendars.Get(provider.Capabilities.Calendar);
        var results = new List<BackfillSeriesResult>();
        var work = new List<(Series Series, long MissingBefore)>();
        foreach (var series in request.Series)
        {
            var before = await MissingAsync(series, request.Range, calendar, provider, cancellationToken).ConfigureAwait(false);
            var plan = await _data.PlanAsync(series, request.Range, cancellationToken).ConfigureAwait(false);
            if (plan.Chunks.Count == 0)
            {
                // Nothing outside coverage: vendor holes inside it are facts, never fetched again.
                results.Add(new BackfillSeriesResult(series, BackfillStatus.NothingNew, before, before, 0, 0, 0));
            }
            else
            {
                work.Add((series, before));
            }
        }

        var total = request.Series.Count;
        var batches = Batches(work.Count, request.BatchSize);
        for (var k = 0; k < results.Count; k++)
        {
            progress?.Report(new BackfillProgress(0, batches, k + 1, total, results[k], null));
        }

        var gate = new Lock();
        for (var b = 0; b < batches; b++)
        {
            if (b > 0 && request.Delay > TimeSpan.Zero)
            {
                await Task.Delay(request.Delay, _clock, cancellationToken).ConfigureAwait(false);
            }

            var batch = work.Skip(b * request.BatchSize).Take(request.BatchSize).ToList();
            var batchNumber = b + 1;
            progress?.Report(new BackfillProgress(batchNumber, batches, results.Count, total, null, null));
            void Finished(BackfillSeriesResult result)
            {
                int count;
                lock (gate)
                {
                    results.Add(result);
                    count = results.Count;
                }

                progress?.Report(new BackfillProgress(batchNumber, batches, count, total, result, null));
            }

            IProgress<SyncProgress>? Running() => progress is null ? null : new SyncProgressRelay(p =>
            {
                int done;
                lock (gate)
                {
                    done = results.Count;
                }

                progress.Report(new BackfillProgress(batchNumber, batches, done, total, null, p));
            });

            if (provider is IMultiSymbolBarProvider)
            {
                // The vendor answers many symbols a request: the batch shares requests.
                await BackfillSharedAsync(batch, request.Range, calendar, provider, Running(), Finished, cancellationToken).ConfigureAwait(false);
                continue;
            }

            await Parallel.ForEachAsync(
                batch,
                new ParallelOptions { MaxDegreeOfParallelism = request.Concurrency, CancellationToken = cancellationToken },
                async (item, token) => Finished(await BackfillOneAsync(item.Series, item.MissingBefore, request.Range, calendar, provider, Running(), token).ConfigureAwait(false)))
                .ConfigureAwait(false);
        }

        var order = request.Series.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i);
        return new BackfillReport([.. results.OrderBy(r => order[r.Series])], _clock.GetElapsedTime(started));
    }

    private async Task<BackfillSeriesResult> BackfillOneAsync(
        Series series, long missingBefore, TimeRange range, ITradingCalendar calendar, IBarProvider provider, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        SyncReport report;
        try
        {
            report = await _data.SyncAsync(series, range, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidRequestException ex)
        {
            return new BackfillSeriesResult(series, BackfillStatus.Failed, missingBefore, missingBefore, 0, 0, 0, ex.Message);
        }

        return await ResultAsync(series, missingBefore, report, range, calendar, provider, cancellationToken).ConfigureAwait(false);
    }

    private async Task BackfillSharedAsync(
        List<(Series Series, long MissingBefore)> batch,
        TimeRange range,
        ITradingCalendar calendar,
        IBarProvider provider,
        IProgress<SyncProgress>? progress,
        Action<BackfillSeriesResult> finished,
        CancellationToken cancellationToken)
    {
        var served = batch.Where(b => provider.Capabilities.Timeframes.Contains(b.Series.Timeframe)).ToList();
        foreach (var (series, missingBefore) in batch.Except(served))
        {
            finished(new BackfillSeriesResult(series, BackfillStatus.Failed, missingBefore, missingBefore, 0, 0, 0, $"{provider.Name} does not serve timeframe {series.Timeframe.Code}"));
        }

        var reports = await _data.SyncManyAsync([.. served.Select(b => b.Series)], range, progress, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < served.Count; i++)
        {
            finished(await ResultAsync(served[i].Series, served[i].MissingBefore, reports[i], range, calendar, provider, cancellationToken).ConfigureAwait(false));
        }
    }

    private async Task<BackfillSeriesResult> ResultAsync(
        Series series, long missingBefore, SyncReport report, TimeRange range, ITradingCalendar calendar, IBarProvider provider, CancellationToken cancellationToken)
    {
        var after = await MissingAsync(series, range, calendar, provider, cancellationToken).ConfigureAwait(false);
        var failure = report.Failures.FirstOrDefault();
        var status = failure is not null ? BackfillStatus.Failed
            : report.BarsStored > 0 ? BackfillStatus.Stored
            : BackfillStatus.NothingNew;
        return new BackfillSeriesResult(series, status, missingBefore, after, report.BarsFetched, report.BarsStored, report.Requests, failure?.Error);
    }

    /// <summary>Passes progress on as it comes, on the reporting thread.</summary>
    private sealed class SyncProgressRelay(Action<SyncProgress> report) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => report(value);
    }

    private async Task<long> MissingAsync(Series series, TimeRange range, ITradingCalendar calendar, IBarProvider provider, CancellationToken cancellationToken)
        => (await _quality.CheckAsync(series, range, calendar, provider.Capabilities, cancellationToken: cancellationToken).ConfigureAwait(false)).EstimatedMissingBars;

    private static int Batches(int count, int batchSize) => (count + batchSize - 1) / batchSize;

    private static void Validate(BackfillRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.BatchSize < 1)
        {
            throw new InvalidRequestException($"batch size ({request.BatchSize}) must be at least 1");
        }

        if (request.Concurrency < 1)
        {
            throw new InvalidRequestException($"concurrency ({request.Concurrency}) must be at least 1");
        }

        if (request.Delay < TimeSpan.Zero)
        {
            throw new InvalidRequestException($"delay ({request.Delay}) must not be negative");
        }

        if (request.Series.FirstOrDefault(s => s.Provider != request.Provider) is { } other)
        {
            throw new InvalidRequestException($"series {other} is not of provider {request.Provider}");
        }
    }
}
