using Gapless.Core.Calendars;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Core.Sync;

namespace Gapless.Core.Quality;

/// <summary>
/// Builds quality reports from what a store holds: coverage, bars and quarantine, measured against each series'
/// calendar up to the provider's finalization horizon. Reads only; thread-safe.
/// </summary>
/// <param name="store">What is held.</param>
/// <param name="clock">Now, for the horizon (what the vendor should have by now).</param>
public sealed class QualityCheck(IBarReader store, TimeProvider clock)
{
    /// <summary>The quality of one series over <paramref name="range"/>.</summary>
    /// <param name="series">The series.</param>
    /// <param name="range">The range to check; null for the series' whole coverage up to now.</param>
    /// <param name="calendar">Which bars the market should have.</param>
    /// <param name="capabilities">The provider's finalization rules; null when the provider is unknown here (final at once).</param>
    /// <param name="gapsListed">How many of the largest gaps to list.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<SeriesQuality> CheckAsync(
        Series series,
        TimeRange? range,
        ITradingCalendar calendar,
        ProviderCapabilities? capabilities,
        int gapsListed = QualityAnalyzer.GapsListed,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(calendar);
        var tf = series.Timeframe;
        var horizon = capabilities is null
            ? tf.Floor(UtcTime.ToEpochMs(clock.GetUtcNow()))
            : FinalizationHorizon.Of(clock.GetUtcNow(), tf, capabilities, calendar);
        var coverage = await store.GetCoverageAsync(series, cancellationToken).ConfigureAwait(false);
        var checkedRange = range ?? (coverage.Span is { } span ? new TimeRange(span.FromMs, Math.Max(span.FromMs, horizon)) : new TimeRange(horizon, horizon));
        var aligned = tf.AlignOutward(checkedRange);
        var frame = await store.ReadAsync(series, aligned, cancellationToken).ConfigureAwait(false);
        var quarantine = await store.ReadQuarantineAsync(series, cancellationToken).ConfigureAwait(false);
        var quarantined = quarantine.Count(q => aligned.Contains(q.Bar.OpenTimeMs));
        return QualityAnalyzer.Analyze(series, aligned, horizon, calendar, coverage, frame.OpenTimes, quarantined, gapsListed);
    }

    /// <summary>A report over many series, in the order given.</summary>
    public async Task<QualityReport> ReportAsync(
        IReadOnlyList<QualityRequest> requests, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var results = new List<SeriesQuality>(requests.Count);
        foreach (var request in requests)
        {
            results.Add(await CheckAsync(request.Series, request.Range, request.Calendar, request.Capabilities, cancellationToken: cancellationToken).ConfigureAwait(false));
            progress?.Report(results.Count);
        }

        return new QualityReport(clock.GetUtcNow(), results, QualityTotals.Of(results));
    }
}

/// <summary>One series to check: its range (null: its whole coverage), calendar and provider rules.</summary>
public sealed record QualityRequest(Series Series, TimeRange? Range, ITradingCalendar Calendar, ProviderCapabilities? Capabilities);
