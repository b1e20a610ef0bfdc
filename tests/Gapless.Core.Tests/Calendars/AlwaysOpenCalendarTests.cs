using Gapless.Core.Calendars;
using Gapless.Core.Model;

namespace Gapless.Core.Tests.Calendars;

public sealed class AlwaysOpenCalendarTests
{
    private static readonly ITradingCalendar Calendar = TradingCalendars.Get("24/7");

    private static long T(int year, int month, int day, int hour = 0, int minute = 0)
        => new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public void CountExpected_LeapYear_EveryAlignedBar()
    {
        var y2024 = new TimeRange(T(2024, 1, 1), T(2025, 1, 1));
        Assert.Equal(366L * 1440, Calendar.CountExpected(Timeframe.M1, y2024));
        Assert.Equal(366L * 48, Calendar.CountExpected(Timeframe.M30, y2024));
        Assert.Equal(366, Calendar.CountExpected(Timeframe.D1, y2024));
        Assert.Equal(53, Calendar.CountExpected(Timeframe.W1, y2024));
        Assert.Equal(12, Calendar.CountExpected(Timeframe.Month1, y2024));
        Assert.Equal(366L * 48, Calendar.ExpectedOpenTimes(Timeframe.M30, y2024).Count());
    }

    [Fact]
    public void CountExpected_CenturyOfMinutes_IsConstantTime()
        => Assert.Equal(
            Timeframe.M1.CountBars(T(1970, 1, 1), T(2070, 1, 1)),
            Calendar.CountExpected(Timeframe.M1, new TimeRange(T(1970, 1, 1), T(2070, 1, 1))));

    [Fact]
    public void WeekendsAndHolidays_AreExpected_MisalignedOpensAreNot()
    {
        Assert.True(Calendar.IsExpected(Timeframe.M1, T(2024, 12, 25, 15)));
        Assert.True(Calendar.IsExpected(Timeframe.D1, T(2024, 7, 6)));
        Assert.False(Calendar.IsExpected(Timeframe.M1, T(2024, 12, 25, 15) + 1));
        Assert.False(Calendar.IsExpected(Timeframe.W1, T(2024, 12, 25)));
        Assert.True(Calendar.IsExpected(Timeframe.W1, T(2024, 12, 23)));
    }

    [Fact]
    public void Sessions_IsTheRangeItself()
    {
        var range = new TimeRange(T(2024, 7, 6, 3), T(2024, 7, 9, 17, 5));
        Assert.Equal([range], Calendar.Sessions(range));
        Assert.Empty(Calendar.Sessions(new TimeRange(5, 5)));
        Assert.Equal("24/7", Calendar.Name);
    }

    [Fact]
    public void ExpectedOpenTimes_StartAtTheFirstAlignedOpen()
        => Assert.Equal(
            [T(2024, 1, 1, 1), T(2024, 1, 1, 2)],
            Calendar.ExpectedOpenTimes(Timeframe.H1, new TimeRange(T(2024, 1, 1, 0, 30), T(2024, 1, 1, 2, 1))));
}
