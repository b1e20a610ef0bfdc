using System.Globalization;
using Gapless.Backtesting.Strategies;
using Gapless.Core;
using Gapless.Core.Calendars;
using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Core.Quality;
using Gapless.Core.Sync;

namespace Gapless.Backtesting.Runs;

/// <summary>
/// Runs a backtest that never replays holes: records the run (<c>pending</c>), works out the data it needs (the range
/// plus the strategy's warm-up, per series), makes that complete through the sync engine (<c>fetching_data</c>, with
/// progress), then replays it (<c>running</c>) and records the outcome (<c>completed</c> or <c>failed</c>). If the
/// data cannot be made complete the run fails with <c>Failed to fetch required historical data: …</c> and nothing is
/// replayed. Reads data only through Core's <see cref="MarketData"/>.
/// </summary>
public sealed class BacktestRunner
{
    /// <summary>The message a run fails with when its data cannot be fetched; the reason follows.</summary>
    public const string FetchFailedPrefix = "Failed to fetch required historical data: ";

    private readonly MarketData _data;
    private readonly IRunStore _runs;
    private readonly TimeProvider _clock;

    public BacktestRunner(MarketData data, IRunStore runs, TimeProvider clock)
    {
        _data = data ?? throw new ArgumentNullException(nameof(data));
        _runs = runs ?? throw new ArgumentNullException(nameof(runs));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
    }

    /// <summary>Runs <paramref name="request"/>. A vendor or data failure is a failed run, not an exception.</summary>
    /// <exception cref="InvalidRequestException">Unknown provider or strategy, or a bad parameter: nothing is recorded.</exception>
    /// <exception cref="StoreException">The store failed.</exception>
    public async Task<BacktestRun> RunAsync(BacktestRequest request, IProgress<BacktestProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var strategy = BuiltInStrategies.Create(request.Strategy, request.Parameters);
        var provider = _data.Providers.Get(request.Provider);
        if (request.Symbols.Count == 0)
        {
            throw new InvalidRequestException("a backtest needs at least one symbol");
        }

        var calendar = TradingCalendars.Get(provider.Capabilities.Calendar);
        var series = request.Symbols.Select(s => new Series(request.Provider, s, request.Timeframe)).ToList();
        var needed = WithWarmup(request.Range, request.Timeframe, strategy.WarmupBars, calendar);
        var id = NewId();
        var transitions = new List<RunTransition> { new(RunStatus.Pending, _clock.GetUtcNow()) };
        await _runs.CreateRunAsync(
            new RunRecord(id, "backtest", transitions[0].At, RunJson.Request(request), RunStatus.Pending, transitions, null),
            cancellationToken).ConfigureAwait(false);
        progress?.Report(new BacktestProgress(RunStatus.Pending));

        var syncs = new SyncReport?[series.Count];
        if (request.AutoFetch)
        {
            await MoveAsync(id, transitions, RunStatus.FetchingData, $"{series.Count} series, {HumanRange(needed)}", progress, cancellationToken).ConfigureAwait(false);
            var fetchProgress = progress is null ? null : new FetchProgress(progress);
            string? failure = null;
            for (var i = 0; i < series.Count && failure is null; i++)
            {
                try
                {
                    var report = await _data.SyncAsync(series[i], needed, fetchProgress, cancellationToken).ConfigureAwait(false);
                    syncs[i] = report;
                    if (!report.IsComplete)
                    {
                        failure = report.Failures.FirstOrDefault()?.Error ?? $"{series[i]} is still missing {HumanRanges(report.MissingAfter)}";
                    }
                }
                catch (GaplessException ex) when (ex is InvalidRequestException or VendorException)
                {
                    failure = ex.Message;
                }
            }

            if (failure is not null)
            {
                var data = await DescribeAsync(series, needed, syncs, calendar, provider.Capabilities, cancellationToken).ConfigureAwait(false);
                return await FailAsync(id, request, transitions, data, FetchFailedPrefix + failure, progress, cancellationToken).ConfigureAwait(false);
            }
        }

        var described = await DescribeAsync(series, needed, syncs, calendar, provider.Capabilities, cancellationToken).ConfigureAwait(false);
        await MoveAsync(id, transitions, RunStatus.Running, null, progress, cancellationToken).ConfigureAwait(false);
        var frames = new List<BacktestSeries>(series.Count);
        foreach (var s in series)
        {
            frames.Add(new BacktestSeries(s.Symbol, s.Timeframe, await _data.Reader.ReadAsync(s, needed, cancellationToken).ConfigureAwait(false)));
        }

        if (frames.All(f => f.Bars.Count == 0))
        {
            return await FailAsync(id, request, transitions, described, $"no bars to replay: the store holds none of {HumanRange(needed)}", progress, cancellationToken).ConfigureAwait(false);
        }

        var options = new BacktestOptions
        {
            InitialCash = request.Cash,
            CommissionBps = request.FeeBps,
            FeePerOrder = request.FeePerOrder,
            SlippageBps = request.SlippageBps,
            Range = request.Range,
            Calendar = calendar,
        };
        var result = BacktestEngine.Run(strategy, frames, options);
        var run = new BacktestRun(id, RunStatus.Completed, request, result, described, null, transitions);
        var done = new RunTransition(RunStatus.Completed, _clock.GetUtcNow());
        await _runs.FinishAsync(id, done, new RunOutcome(RunJson.Summary(run), RunJson.Trades(result), null), cancellationToken).ConfigureAwait(false);
        transitions.Add(done);
        progress?.Report(new BacktestProgress(RunStatus.Completed));
        return run;
    }

    /// <summary>
    /// The range to read: <paramref name="range"/> and, before it, <paramref name="warmup"/> bars the calendar expects
    /// (so a strategy on NYSE bars gets its warm-up from earlier sessions, not from closed hours).
    /// </summary>
    public static TimeRange WithWarmup(TimeRange range, Timeframe timeframe, int warmup, ITradingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(timeframe);
        ArgumentNullException.ThrowIfNull(calendar);
        var aligned = timeframe.AlignOutward(range);
        if (warmup <= 0)
        {
            return aligned;
        }

        var span = (long)warmup;
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var from = timeframe.Add(aligned.FromMs, -span);
            if (calendar.CountExpected(timeframe, new TimeRange(from, aligned.FromMs)) >= warmup)
            {
                return new TimeRange(from, aligned.ToMs);
            }

            span *= 2;
        }

        throw new InvalidRequestException($"could not find {warmup} warm-up bars of {timeframe.Code} before {UtcTime.ToIso(aligned.FromMs)} under the {calendar.Name} calendar");
    }

    private async Task<IReadOnlyList<SeriesData>> DescribeAsync(
        List<Series> series, TimeRange needed, SyncReport?[] syncs, ITradingCalendar calendar, ProviderCapabilities capabilities, CancellationToken cancellationToken)
    {
        var quality = new QualityCheck(_data.Reader, _clock);
        var data = new List<SeriesData>(series.Count);
        for (var i = 0; i < series.Count; i++)
        {
            // The report lists holes and missing ranges (up to a hundred), not just the largest five.
            var q = await quality.CheckAsync(series[i], needed, calendar, capabilities, gapsListed: 100, cancellationToken: cancellationToken).ConfigureAwait(false);
            data.Add(new SeriesData(series[i], needed, syncs[i], q));
        }

        return data;
    }

    private async Task MoveAsync(string id, List<RunTransition> transitions, RunStatus status, string? detail, IProgress<BacktestProgress>? progress, CancellationToken cancellationToken)
    {
        var transition = new RunTransition(status, _clock.GetUtcNow(), detail);
        await _runs.TransitionAsync(id, transition, cancellationToken).ConfigureAwait(false);
        transitions.Add(transition);
        progress?.Report(new BacktestProgress(status));
    }

    private async Task<BacktestRun> FailAsync(
        string id, BacktestRequest request, List<RunTransition> transitions, IReadOnlyList<SeriesData> data, string error, IProgress<BacktestProgress>? progress, CancellationToken cancellationToken)
    {
        var failed = new RunTransition(RunStatus.Failed, _clock.GetUtcNow(), error);
        var run = new BacktestRun(id, RunStatus.Failed, request, null, data, error, transitions);
        await _runs.FinishAsync(id, failed, new RunOutcome(RunJson.Summary(run), null, error), CancellationToken.None).ConfigureAwait(false);
        transitions.Add(failed);
        progress?.Report(new BacktestProgress(RunStatus.Failed));
        return run;
    }

    private string NewId()
        => string.Create(CultureInfo.InvariantCulture, $"bt-{_clock.GetUtcNow():yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}");

    private static string HumanRange(TimeRange range) => $"{UtcTime.ToIso(range.FromMs)} to {UtcTime.ToIso(range.ToMs)}";

    private static string HumanRanges(RangeSet ranges) => string.Join(", ", ranges.Take(3).Select(HumanRange)) + (ranges.Count > 3 ? $" and {ranges.Count - 3} more" : string.Empty);

    /// <summary>Passes the sync's progress on as it comes (no hop to another thread, so the display sees it in order).</summary>
    private sealed class FetchProgress(IProgress<BacktestProgress> target) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => target.Report(new BacktestProgress(RunStatus.FetchingData, value));
    }
}
