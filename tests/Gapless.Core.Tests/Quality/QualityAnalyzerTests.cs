using Gapless.Core.Calendars;
using Gapless.Core.Model;
using Gapless.Core.Quality;

namespace Gapless.Core.Tests.Quality;

/// <summary>
/// The quality report counts exactly the bars that should be there and are not. The expected bar times here are
/// worked out by hand from the NYSE session in UTC (14:30–21:00 under EST, 13:30–20:00 under EDT), independently of
/// the calendar under test.
/// </summary>
public sealed class QualityAnalyzerTests
{
    private static readonly Series Stock = new("scripted", "AAPL", Timeframe.M30);
    private static readonly long Never = UtcTime.ToEpochMs(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private static long At(int month, int day, int hour, int minute)
        => UtcTime.ToEpochMs(new DateTimeOffset(2024, month, day, hour, minute, 0, TimeSpan.Zero));

    /// <summary>The 30m bars of a regular NYSE day in UTC: 13 from the open, or 7 on an early close.</summary>
    private static IEnumerable<long> Session(int month, int day, bool summerTime, bool earlyClose = false)
    {
        var open = At(month, day, summerTime ? 13 : 14, 30);
        return Enumerable.Range(0, earlyClose ? 7 : 13).Select(i => open + (i * 1_800_000L));
    }

    [Fact]
    public void Analyze_WeekAcrossDstWithHolesAndUnfetchedDays_CountsExactlyTheMissingBars()
    {
        // March 4–15, 2024: ten trading days; clocks moved to EDT on Sunday March 10.
        var expected = new List<long>();
        foreach (var day in new[] { 4, 5, 6, 7, 8 })
        {
            expected.AddRange(Session(3, day, summerTime: false));
        }

        foreach (var day in new[] { 11, 12, 13, 14, 15 })
        {
            expected.AddRange(Session(3, day, summerTime: true));
        }

        var coverage = RangeSet.Of(new TimeRange(At(3, 4, 0, 0), At(3, 13, 0, 0))); // March 13–15 never fetched
        var holes = new[] { At(3, 5, 15, 0), At(3, 5, 15, 30), At(3, 11, 13, 30) }; // the vendor had nothing there
        var saturdayBar = At(3, 9, 15, 0); // held, but the market was closed
        var held = expected.Where(t => coverage.Contains(t) && !holes.Contains(t)).Append(saturdayBar).Order().ToArray();

        var quality = QualityAnalyzer.Analyze(
            Stock, new TimeRange(At(3, 4, 0, 0), At(3, 16, 0, 0)), Never, TradingCalendars.Get("XNYS"), coverage, held, quarantined: 2);

        Assert.Equal(130, quality.BarsExpected);
        Assert.Equal(39, quality.NotFetchedBars);
        Assert.Equal(3, quality.VendorHoleBars);
        Assert.Equal(42, quality.EstimatedMissingBars);
        Assert.Equal(1, quality.BarsOutsideCalendar);
        Assert.Equal(held.Length, quality.BarsHeld);
        Assert.Equal(2, quality.QuarantinedBars);
        Assert.Equal(Math.Round(100.0 * 88 / 130, 3), quality.CoveragePercent);
        Assert.Equal(
            [
                new QualityGap(new TimeRange(At(3, 13, 13, 30), At(3, 15, 20, 0)), 39, GapKind.NotFetched),
                new QualityGap(new TimeRange(At(3, 5, 15, 0), At(3, 5, 16, 0)), 2, GapKind.VendorHole),
                new QualityGap(new TimeRange(At(3, 11, 13, 30), At(3, 11, 14, 0)), 1, GapKind.VendorHole),
            ],
            quality.LargestGaps);
        Assert.Equal(At(3, 15, 19, 30), quality.LastExpectedBarMs);
        Assert.True(quality.Stale);
    }

    [Fact]
    public void Analyze_ThanksgivingWeekComplete_ReportsNothingMissingDespiteTheHolidayAndEarlyClose()
    {
        // November 25–29, 2024 (EST): Thursday closed, Friday closes at 13:00 New York time.
        var expected = Session(11, 25, false).Concat(Session(11, 26, false)).Concat(Session(11, 27, false))
            .Concat(Session(11, 29, false, earlyClose: true)).ToArray();
        var week = new TimeRange(At(11, 25, 0, 0), At(12, 2, 0, 0));

        var quality = QualityAnalyzer.Analyze(Stock, week, Never, TradingCalendars.Get("XNYS"), RangeSet.Of(week), expected, 0);

        Assert.Equal(46, expected.Length);
        Assert.Equal(46, quality.BarsExpected);
        Assert.Equal(0, quality.EstimatedMissingBars);
        Assert.Equal(0, quality.BarsOutsideCalendar);
        Assert.Empty(quality.LargestGaps);
        Assert.Equal(100.0, quality.CoveragePercent);
        Assert.False(quality.Stale);
    }

    [Fact]
    public void Analyze_BeforeTheHorizon_OnlyClosedBarsAreExpected()
    {
        var week = new TimeRange(At(11, 25, 0, 0), At(12, 2, 0, 0));
        var monday = Session(11, 25, false).ToArray();

        var quality = QualityAnalyzer.Analyze(Stock, week, At(11, 26, 15, 0), TradingCalendars.Get("XNYS"), RangeSet.Of(new TimeRange(week.FromMs, At(11, 26, 0, 0))), monday, 0);

        Assert.Equal(13 + 1, quality.BarsExpected); // Monday, and Tuesday's 14:30 bar
        Assert.Equal(1, quality.NotFetchedBars);
        Assert.True(quality.Stale);
    }

    [Fact]
    public void Analyze_AlwaysOpen_EverySlotIsExpected()
    {
        var series = new Series("scripted", "BTCUSDT", Timeframe.H1);
        var day = new TimeRange(At(6, 1, 0, 0), At(6, 2, 0, 0));
        var held = Enumerable.Range(0, 24).Where(h => h != 5).Select(h => At(6, 1, h, 0)).ToArray();

        var quality = QualityAnalyzer.Analyze(series, day, Never, TradingCalendars.Get("24/7"), RangeSet.Of(day), held, 0);

        Assert.Equal(24, quality.BarsExpected);
        Assert.Equal(1, quality.VendorHoleBars);
        Assert.Equal([new QualityGap(new TimeRange(At(6, 1, 5, 0), At(6, 1, 6, 0)), 1, GapKind.VendorHole)], quality.LargestGaps);
        Assert.False(quality.Stale);
    }
}
