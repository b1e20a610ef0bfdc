using Gapless.Core.Model;

namespace Gapless.Core.Quality;

/// <summary>
/// The quality of one series over a range, under a trading calendar. Counts are bars of the series' timeframe;
/// times are UTC epoch milliseconds (bar open times).
/// </summary>
/// <param name="Series">The series.</param>
/// <param name="Range">The range checked: the requested range, aligned to the timeframe.</param>
/// <param name="Calendar">The calendar that decided which bars are expected.</param>
/// <param name="HorizonMs">Bars opening before this are closed and final: expected by now.</param>
/// <param name="FirstBarMs">The first bar held in the range, or null.</param>
/// <param name="LastBarMs">The last bar held in the range, or null.</param>
/// <param name="BarsHeld">Bars stored in the range (quarantined bars are not).</param>
/// <param name="BarsExpected">Bars the calendar expects in the range before the horizon.</param>
/// <param name="NotFetchedBars">Expected bars outside coverage: nobody asked the vendor yet.</param>
/// <param name="VendorHoleBars">Expected bars inside coverage yet absent: the vendor answered without them.</param>
/// <param name="BarsOutsideCalendar">Bars held that the calendar does not expect (e.g. extended hours under XNYS).</param>
/// <param name="QuarantinedBars">Bars of the range the validator rejected.</param>
/// <param name="LastExpectedBarMs">The last bar the vendor should have by now in the range, or null when none is expected.</param>
/// <param name="LargestGaps">The longest runs of missing expected bars, longest first.</param>
public sealed record SeriesQuality(
    Series Series,
    TimeRange Range,
    string Calendar,
    long HorizonMs,
    long? FirstBarMs,
    long? LastBarMs,
    long BarsHeld,
    long BarsExpected,
    long NotFetchedBars,
    long VendorHoleBars,
    long BarsOutsideCalendar,
    long QuarantinedBars,
    long? LastExpectedBarMs,
    IReadOnlyList<QualityGap> LargestGaps)
{
    /// <summary>Expected bars absent: <see cref="NotFetchedBars"/> + <see cref="VendorHoleBars"/>.</summary>
    public long EstimatedMissingBars => NotFetchedBars + VendorHoleBars;

    /// <summary>Share of the expected bars held, in percent (100 when none is expected).</summary>
    public double CoveragePercent => Percent(BarsExpected - EstimatedMissingBars, BarsExpected);

    /// <summary>The last bar the vendor should have by now is missing: the series is behind.</summary>
    public bool Stale => LastExpectedBarMs is { } last && (LastBarMs is not { } held || held < last);

    internal static double Percent(long part, long whole) => whole == 0 ? 100.0 : Math.Round(100.0 * part / whole, 3);
}

/// <summary>Why expected bars are missing.</summary>
public enum GapKind
{
    /// <summary>Outside coverage: the vendor was never asked (a fetch or backfill fills it).</summary>
    NotFetched,

    /// <summary>Inside coverage: the vendor answered and had nothing (an outage, no trades); not fetched again.</summary>
    VendorHole,
}

/// <summary>A run of consecutive missing expected bars of one kind.</summary>
/// <param name="Range">From the first missing bar's open to the last missing bar's close.</param>
/// <param name="Bars">Expected bars missing in the run.</param>
/// <param name="Kind">Not fetched or a vendor hole.</param>
public sealed record QualityGap(TimeRange Range, long Bars, GapKind Kind);

/// <summary>The sums over the series of a report.</summary>
public sealed record QualityTotals(
    int Series,
    long BarsHeld,
    long BarsExpected,
    long EstimatedMissingBars,
    long NotFetchedBars,
    long VendorHoleBars,
    long QuarantinedBars,
    int StaleSeries)
{
    /// <summary>Share of all expected bars held, in percent.</summary>
    public double CoveragePercent => SeriesQuality.Percent(BarsExpected - EstimatedMissingBars, BarsExpected);

    public static QualityTotals Of(IReadOnlyCollection<SeriesQuality> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        return new QualityTotals(
            series.Count,
            series.Sum(s => s.BarsHeld),
            series.Sum(s => s.BarsExpected),
            series.Sum(s => s.EstimatedMissingBars),
            series.Sum(s => s.NotFetchedBars),
            series.Sum(s => s.VendorHoleBars),
            series.Sum(s => s.QuarantinedBars),
            series.Count(s => s.Stale));
    }
}

/// <summary>A quality report: one entry per series, and the totals.</summary>
/// <param name="GeneratedAt">When the report was made.</param>
public sealed record QualityReport(DateTimeOffset GeneratedAt, IReadOnlyList<SeriesQuality> Series, QualityTotals Totals);
