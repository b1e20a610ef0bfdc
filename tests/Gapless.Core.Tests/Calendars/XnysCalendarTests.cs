using System.Diagnostics;
using Gapless.Core.Calendars;
using Gapless.Core.Model;
using static Gapless.Core.Tests.Calendars.NyseReference;

namespace Gapless.Core.Tests.Calendars;

public sealed class XnysCalendarTests
{
    private static readonly ExchangeCalendar Xnys = (ExchangeCalendar)TradingCalendars.Get("XNYS");
    private static readonly ExchangeCalendar Extended = (ExchangeCalendar)TradingCalendars.Get("XNYS-extended");

    public static TheoryData<int> Years() => [.. Enumerable.Range(FirstYear, LastYear - FirstYear + 1)];

    private static long T(int year, int month, int day, int hour = 0, int minute = 0)
        => new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static TimeRange R(long from, long to) => new(from, to);

    /// <summary>New York midnight to New York midnight; Jan 1 is always EST, UTC-5.</summary>
    private static TimeRange NewYorkYear(int year) => R(T(year, 1, 1, 5), T(year + 1, 1, 1, 5));

    /// <summary>A New York day in winter (EST, UTC-5): the extended session of the day before spills past 00:00Z.</summary>
    private static TimeRange NewYorkWinterDay(int year, int month, int day) => R(T(year, month, day, 5), T(year, month, day, 5) + 86_400_000L);

    private static TimeRange UtcDays(int year, int month, int day, int days)
        => R(T(year, month, day), T(year, month, day) + (days * 86_400_000L));

    [Theory]
    [MemberData(nameof(Years))]
    public void CountExpected_EachYear_MatchesWeekdaysMinusHolidays(int year)
    {
        var dates = TradingDates(year).ToList();
        var early = dates.Count(IsEarlyClose);
        var full = dates.Count - early;

        Assert.Equal((full * 13L) + (early * 7L), Xnys.CountExpected(Timeframe.M30, NewYorkYear(year)));
        Assert.Equal((full * 390L) + (early * 210L), Xnys.CountExpected(Timeframe.M1, NewYorkYear(year)));
        Assert.Equal((full * 7L) + (early * 4L), Xnys.CountExpected(Timeframe.H1, NewYorkYear(year)));
        Assert.Equal(dates.Count, Xnys.CountExpected(Timeframe.D1, R(T(year, 1, 1), T(year + 1, 1, 1))));

        // A UTC year gives the same regular-session counts: no session crosses midnight UTC.
        Assert.Equal((full * 390L) + (early * 210L), Xnys.CountExpected(Timeframe.M1, R(T(year, 1, 1), T(year + 1, 1, 1))));
        Assert.Equal(Xnys.CountExpected(Timeframe.M30, NewYorkYear(year)), Xnys.ExpectedOpenTimes(Timeframe.M30, NewYorkYear(year)).Count());
    }

    [Theory]
    [MemberData(nameof(Years))]
    public void CountExpected_ExtendedEachYear_MatchesSixteenHourDays(int year)
    {
        var dates = TradingDates(year).ToList();
        var earlyMinutes = dates.Where(IsEarlyClose).Sum(d => (long)(ExtendedEarlyClose(d) - new TimeOnly(4, 0)).TotalMinutes);
        var full = dates.Count(d => !IsEarlyClose(d));

        Assert.Equal((full * 960L) + earlyMinutes, Extended.CountExpected(Timeframe.M1, NewYorkYear(year)));
        Assert.Equal((full * 32L) + (earlyMinutes / 30), Extended.CountExpected(Timeframe.M30, NewYorkYear(year)));
        Assert.Equal(dates.Count, Extended.CountExpected(Timeframe.D1, R(T(year, 1, 1), T(year + 1, 1, 1))));
    }

    [Fact]
    public void BuiltInHolidayFile_AgreesWithTheTestsOwnList()
    {
        var entries = TradingCalendars.BuiltInXnysHolidays;
        var closed = entries.Where(e => e.Kind == DayKind.Closed).Select(e => e.Date.ToDateOnly());
        var early = entries.Where(e => e.Kind == DayKind.EarlyClose).ToList();

        Assert.Equal(Closed.Order(), closed.Order());
        Assert.Equal(EarlyCloses.Order(), early.Select(e => e.Date.ToDateOnly()).Order());
        Assert.All(early, e => Assert.Equal(new NodaTime.LocalTime(13, 0), e.Close));
        Assert.All(early, e => Assert.Equal(
            ExtendedEarlyClose(e.Date.ToDateOnly()), e.ExtendedClose!.Value.ToTimeOnly()));
        Assert.DoesNotContain(entries, e => e.Kind == DayKind.Open);
        Assert.All(entries, e => Assert.False(string.IsNullOrWhiteSpace(e.Note)));
    }

    [Fact]
    public void HolidayDataYears_Are2018Through2027()
    {
        Assert.Equal(2018, Xnys.FirstHolidayYear);
        Assert.Equal(2027, Xnys.LastHolidayYear);
        Assert.True(Xnys.HasHolidayDataFor(NewYorkYear(2018)));
        Assert.True(Xnys.HasHolidayDataFor(R(T(2018, 1, 1, 5), T(2028, 1, 1, 5))));
        Assert.False(Xnys.HasHolidayDataFor(R(T(2027, 12, 1), T(2028, 1, 2))));
        Assert.False(Xnys.HasHolidayDataFor(R(T(2017, 12, 29), T(2018, 1, 3))));
        Assert.True(Xnys.HasHolidayDataFor(R(T(2030, 1, 1), T(2030, 1, 1))));
    }

    [Fact]
    public void Sessions_MarchDstWeek_ShiftOneHourEarlierInUtc()
    {
        // DST began Sunday 2024-03-10: Friday opens 14:30Z (EST), Monday 13:30Z (EDT).
        Assert.Equal(
            [R(T(2024, 3, 8, 14, 30), T(2024, 3, 8, 21)), R(T(2024, 3, 11, 13, 30), T(2024, 3, 11, 20))],
            Xnys.Sessions(UtcDays(2024, 3, 8, 4)));
        Assert.Equal(
            [R(T(2024, 3, 8, 9), T(2024, 3, 9, 1)), R(T(2024, 3, 11, 8), T(2024, 3, 12, 0))],
            Extended.Sessions(R(T(2024, 3, 8, 5), T(2024, 3, 12, 4))));
    }

    [Fact]
    public void Sessions_NovemberDstWeek_ShiftOneHourLaterInUtc()
    {
        // DST ended Sunday 2024-11-03.
        Assert.Equal(
            [R(T(2024, 11, 1, 13, 30), T(2024, 11, 1, 20)), R(T(2024, 11, 4, 14, 30), T(2024, 11, 4, 21))],
            Xnys.Sessions(UtcDays(2024, 11, 1, 4)));
        Assert.Equal(13, Xnys.CountExpected(Timeframe.M30, UtcDays(2024, 11, 4, 1)));
        Assert.True(Xnys.IsExpected(Timeframe.M30, T(2024, 11, 1, 13, 30)));
        Assert.False(Xnys.IsExpected(Timeframe.M30, T(2024, 11, 4, 14)));
        Assert.True(Xnys.IsExpected(Timeframe.M30, T(2024, 11, 4, 14, 30)));
        Assert.False(Xnys.IsExpected(Timeframe.M30, T(2024, 11, 4, 21)));
    }

    [Fact]
    public void ChristmasEve_ClosesAt1300NewYork()
    {
        Assert.Equal(
            [R(T(2024, 12, 24, 14, 30), T(2024, 12, 24, 18)), R(T(2024, 12, 26, 14, 30), T(2024, 12, 26, 21))],
            Xnys.Sessions(UtcDays(2024, 12, 24, 3)));
        Assert.Equal(7, Xnys.CountExpected(Timeframe.M30, UtcDays(2024, 12, 24, 1)));
        Assert.Equal(210, Xnys.CountExpected(Timeframe.M1, UtcDays(2024, 12, 24, 1)));
        Assert.True(Xnys.IsExpected(Timeframe.M1, T(2024, 12, 24, 17, 59)));
        Assert.False(Xnys.IsExpected(Timeframe.M1, T(2024, 12, 24, 18)));
        Assert.True(Xnys.IsExpected(Timeframe.D1, T(2024, 12, 24)));
        Assert.False(Xnys.IsExpected(Timeframe.D1, T(2024, 12, 25)));

        // The late session ends at 17:00 New York on early-close days (16:00 in 2018 and 2019, per NYSE's releases).
        Assert.Equal([R(T(2024, 12, 24, 9), T(2024, 12, 24, 22))], Extended.Sessions(NewYorkWinterDay(2024, 12, 24)));
        Assert.Equal([R(T(2018, 12, 24, 9), T(2018, 12, 24, 21))], Extended.Sessions(NewYorkWinterDay(2018, 12, 24)));
    }

    [Theory]
    [InlineData(2018, 12, 5)]
    [InlineData(2025, 1, 9)]
    public void NationalDayOfMourning_HasNoSession(int year, int month, int day)
    {
        Assert.Empty(Xnys.Sessions(UtcDays(year, month, day, 1)));
        Assert.Empty(Extended.Sessions(NewYorkWinterDay(year, month, day)));
        Assert.Equal(0, Xnys.CountExpected(Timeframe.M1, UtcDays(year, month, day, 1)));
        Assert.False(Xnys.IsExpected(Timeframe.D1, T(year, month, day)));
        Assert.Equal(390, Xnys.CountExpected(Timeframe.M1, UtcDays(year, month, day - 1, 1)));
        Assert.Equal(390, Xnys.CountExpected(Timeframe.M1, UtcDays(year, month, day + 1, 1)));
    }

    [Fact]
    public void Weekend_HasNothingExpected()
    {
        var weekend = UtcDays(2024, 7, 6, 2);
        Assert.Empty(Xnys.Sessions(weekend));
        Assert.Empty(Extended.Sessions(weekend));
        Assert.Equal(0, Xnys.CountExpected(Timeframe.M1, weekend));
        Assert.Equal(0, Extended.CountExpected(Timeframe.H4, weekend));
        Assert.False(Xnys.IsExpected(Timeframe.M1, T(2024, 7, 6, 15)));
        Assert.False(Xnys.IsExpected(Timeframe.D1, T(2024, 7, 7)));
        Assert.Empty(Xnys.ExpectedOpenTimes(Timeframe.M5, weekend));
    }

    [Fact]
    public void HourBars_OpeningBeforeTheBell_AreExpectedBecauseTheyOverlapIt()
    {
        // Summer: 09:30-16:00 EDT is 13:30-20:00Z, so the 13:00Z bar (09:00 New York) holds the open.
        Assert.Equal(
            Enumerable.Range(13, 7).Select(h => T(2024, 7, 8, h)),
            Xnys.ExpectedOpenTimes(Timeframe.H1, UtcDays(2024, 7, 8, 1)));
        Assert.True(Xnys.IsExpected(Timeframe.H1, T(2024, 7, 8, 13)));
        Assert.False(Xnys.IsExpected(Timeframe.H1, T(2024, 7, 8, 12)));
        Assert.False(Xnys.IsExpected(Timeframe.H1, T(2024, 7, 8, 20)));

        // Winter: 14:30-21:00Z.
        Assert.Equal(
            Enumerable.Range(14, 7).Select(h => T(2024, 1, 8, h)),
            Xnys.ExpectedOpenTimes(Timeframe.H1, UtcDays(2024, 1, 8, 1)));

        // Day after Thanksgiving: 14:30-18:00Z.
        Assert.Equal(4, Xnys.CountExpected(Timeframe.H1, UtcDays(2024, 11, 29, 1)));
        Assert.False(Xnys.IsExpected(Timeframe.H1, T(2024, 7, 8, 13, 30)));
    }

    [Fact]
    public void DailyBars_AreStampedAtMidnightUtcOfEachTradingDate()
    {
        Assert.Equal(
            [T(2024, 7, 1), T(2024, 7, 2), T(2024, 7, 3), T(2024, 7, 5)],
            Xnys.ExpectedOpenTimes(Timeframe.D1, UtcDays(2024, 7, 1, 7)));
        Assert.Equal(4, Xnys.CountExpected(Timeframe.D1, UtcDays(2024, 7, 1, 7)));

        // A range starting mid-day excludes that day's bar: bars open inside the range.
        Assert.Equal(3, Xnys.CountExpected(Timeframe.D1, R(T(2024, 7, 1, 12), T(2024, 7, 8))));
        Assert.False(Xnys.IsExpected(Timeframe.D1, T(2024, 7, 4)));
        Assert.False(Xnys.IsExpected(Timeframe.D1, T(2024, 7, 5, 13, 30)));
    }

    [Fact]
    public void WeeklyAndMonthlyBars_AreExpectedWhenTheyHoldATradingDate()
    {
        var y2024 = R(T(2024, 1, 1), T(2025, 1, 1));
        Assert.Equal(53, Xnys.CountExpected(Timeframe.W1, y2024));
        Assert.Equal(12, Xnys.CountExpected(Timeframe.Month1, y2024));
        Assert.Equal(Enumerable.Range(1, 12).Select(m => T(2024, m, 1)), Xnys.ExpectedOpenTimes(Timeframe.Month1, y2024));
        Assert.True(Xnys.IsExpected(Timeframe.W1, T(2024, 12, 23)));
        Assert.False(Xnys.IsExpected(Timeframe.W1, T(2024, 12, 24)));
    }

    [Fact]
    public void SessionContaining_And_PreviousSession_FindWholeSessions()
    {
        Assert.Equal(R(T(2024, 12, 24, 14, 30), T(2024, 12, 24, 18)), Xnys.SessionContaining(T(2024, 12, 24, 15)));
        Assert.Equal(R(T(2024, 12, 24, 14, 30), T(2024, 12, 24, 18)), Xnys.SessionContaining(T(2024, 12, 24, 14, 30)));
        Assert.Null(Xnys.SessionContaining(T(2024, 12, 24, 18)));
        Assert.Null(Xnys.SessionContaining(T(2024, 12, 25, 15)));

        Assert.Equal(R(T(2024, 12, 24, 14, 30), T(2024, 12, 24, 18)), Xnys.PreviousSession(T(2024, 12, 26, 14)));
        Assert.Equal(R(T(2024, 12, 24, 14, 30), T(2024, 12, 24, 18)), Xnys.PreviousSession(T(2024, 12, 24, 18)));
        Assert.Equal(R(T(2025, 1, 8, 14, 30), T(2025, 1, 8, 21)), Xnys.PreviousSession(T(2025, 1, 10, 14)));
        Assert.Equal(R(T(2024, 7, 5, 13, 30), T(2024, 7, 5, 20)), Xnys.PreviousSession(T(2024, 7, 8, 13, 31)));
        Assert.Null(Xnys.PreviousSession(T(1899, 1, 1)));
    }

    [Fact]
    public void OutsideTheSupportedYears_NothingIsExpectedAndNothingThrows()
    {
        Assert.Empty(Xnys.Sessions(R(long.MinValue, T(1899, 12, 31))));
        Assert.Equal(0, Xnys.CountExpected(Timeframe.M1, R(T(2300, 1, 1), long.MaxValue / 2)));
        Assert.False(Xnys.IsExpected(Timeframe.M1, T(2300, 1, 3, 15)));
        Assert.Null(Xnys.SessionContaining(long.MaxValue));
        Assert.NotNull(Xnys.PreviousSession(long.MaxValue));
        Assert.False(Xnys.HasHolidayDataFor(R(long.MinValue, T(2020, 1, 1))));
    }

    [Fact]
    public void BeyondTheHolidayData_WeekdaysAreFullSessions()
    {
        // 2028 holidays are not in the data yet: Jan 17 2028 (MLK day) counts as a session.
        Assert.Equal(390, Xnys.CountExpected(Timeframe.M1, UtcDays(2028, 1, 17, 1)));
    }

    [Fact]
    public void CountExpected_TenYearsOfMinuteBars_IsFast()
    {
        var tenYears = R(T(2018, 1, 1), T(2028, 1, 1));
        var expected = Enumerable.Range(FirstYear, 10).Sum(y => TradingDates(y).Sum(d => IsEarlyClose(d) ? 210L : 390L));
        Assert.Equal(expected, Xnys.CountExpected(Timeframe.M1, tenYears));

        var best = TimeSpan.MaxValue;
        for (var run = 0; run < 100; run++)
        {
            var watch = Stopwatch.StartNew();
            Xnys.CountExpected(Timeframe.M1, tenYears);
            Extended.CountExpected(Timeframe.M1, tenYears);
            watch.Stop();
            best = watch.Elapsed < best ? watch.Elapsed : best;
        }

        // Two calendars, ~2,500 sessions each: about 0.15 ms for both here; the bound leaves room for a busy machine.
        Assert.True(best < TimeSpan.FromMilliseconds(2), $"best of 100 runs took {best.TotalMilliseconds:F3} ms");
    }
}
