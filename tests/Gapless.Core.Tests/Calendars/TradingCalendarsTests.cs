using Gapless.Core.Calendars;
using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Testing;

namespace Gapless.Core.Tests.Calendars;

public sealed class TradingCalendarsTests
{
    private static readonly TimeRange Year2024 = new(T(2024, 1, 1), T(2025, 1, 1));

    private static long T(int year, int month, int day, int hour = 0, int minute = 0)
        => new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static ITradingCalendar FromText(string name, string text, string source = "mine.csv")
        => TradingCalendars.Create(name, new StringReader(text), source);

    [Theory]
    [InlineData("24/7", "24/7")]
    [InlineData("xnys", "XNYS")]
    [InlineData("XNYS", "XNYS")]
    [InlineData(" Xnys-Extended ", "XNYS-extended")]
    public void Get_IgnoresCase_AndReturnsOneSharedInstance(string typed, string name)
    {
        var calendar = TradingCalendars.Get(typed);
        Assert.Equal(name, calendar.Name);
        Assert.Same(calendar, TradingCalendars.Get(name));
    }

    [Fact]
    public void Get_UnknownName_ListsTheValidNames()
    {
        var ex = Assert.Throws<InvalidRequestException>(() => TradingCalendars.Get("NASDAQ"));
        Assert.Equal("unknown trading calendar 'NASDAQ'; use one of 24/7, XNYS, XNYS-extended", ex.Message);
        Assert.Equal(["24/7", "XNYS", "XNYS-extended"], TradingCalendars.Names);
    }

    [Fact]
    public void Create_UserFileAddingAClosure_RemovesThatSession()
    {
        using var folder = new TempFolder();
        var path = folder.File("holidays.csv");
        File.WriteAllText(path, "# my closures\ndate,kind,close,extended_close,note\n2024-03-15,closed,,,Exchange outage\n");
        var builtIn = TradingCalendars.Get("XNYS");
        var mine = TradingCalendars.Create("XNYS", path);

        Assert.Equal(builtIn.CountExpected(Timeframe.M30, Year2024) - 13, mine.CountExpected(Timeframe.M30, Year2024));
        Assert.Empty(mine.Sessions(new TimeRange(T(2024, 3, 15), T(2024, 3, 16))));
        Assert.False(mine.IsExpected(Timeframe.D1, T(2024, 3, 15)));
        Assert.True(builtIn.IsExpected(Timeframe.D1, T(2024, 3, 15)));
    }

    [Fact]
    public void Create_UserEarlyClose_ShortensRegularAndExtendedSessions()
    {
        const string Text = "2024-03-14,early_close,12:00,,Storm\n2024-03-13,early_close,13:00,18:30\n";
        var regular = FromText("XNYS", Text);
        var extended = FromText("xnys-extended", Text);

        // 09:30-12:00 EDT: 5 half-hours instead of 13; 09:30-13:00: 7.
        Assert.Equal(TradingCalendars.Get("XNYS").CountExpected(Timeframe.M30, Year2024) - 8 - 6, regular.CountExpected(Timeframe.M30, Year2024));

        // Extended: 04:00-17:00 by default, 04:00-18:30 when the file says so.
        Assert.Equal([new TimeRange(T(2024, 3, 14, 8), T(2024, 3, 14, 21))], extended.Sessions(new TimeRange(T(2024, 3, 14), T(2024, 3, 14, 23))));
        Assert.Equal([new TimeRange(T(2024, 3, 13, 8), T(2024, 3, 13, 22, 30))], extended.Sessions(new TimeRange(T(2024, 3, 13), T(2024, 3, 13, 23))));
    }

    [Fact]
    public void Create_OpenLine_CancelsABuiltInClosure()
    {
        var calendar = FromText("XNYS", "2025-01-09,open,,,suppose the exchange had traded\n");
        var year = new TimeRange(T(2025, 1, 1), T(2026, 1, 1));
        Assert.Equal(TradingCalendars.Get("XNYS").CountExpected(Timeframe.M1, year) + 390, calendar.CountExpected(Timeframe.M1, year));
    }

    [Fact]
    public void Create_UserFileForTheNextYear_ExtendsTheCoveredYears()
    {
        var calendar = (ExchangeCalendar)FromText("XNYS", "2028-01-17,closed,,,Martin Luther King Jr. Day\n2035-01-01,closed\n");
        Assert.Equal(2018, calendar.FirstHolidayYear);
        Assert.Equal(2028, calendar.LastHolidayYear);
        Assert.Equal(0, calendar.CountExpected(Timeframe.M1, new TimeRange(T(2028, 1, 17), T(2028, 1, 18))));
    }

    [Theory]
    [InlineData("2024-02-30,closed", "mine.csv:3: '2024-02-30' is not a date (expected yyyy-MM-dd)")]
    [InlineData("2024-03-15", "mine.csv:3: expected date,kind[,close[,extended_close[,note]]] with kind closed, early_close or open")]
    [InlineData("2024-03-15,half_day,13:00", "mine.csv:3: unknown kind 'half_day' (expected closed, early_close or open)")]
    [InlineData("2024-03-15,early_close", "mine.csv:3: early_close needs a close time (HH:mm), as in 2024-03-15,early_close,13:00")]
    [InlineData("2024-03-15,early_close,1pm", "mine.csv:3: close '1pm' is not a time of day (expected HH:mm)")]
    [InlineData("2024-03-15,early_close,13:00,12:00", "mine.csv:3: extended_close 12:00 is before close 13:00")]
    [InlineData("2024-03-15,closed,13:00", "mine.csv:3: a close time is only allowed with early_close, not with closed")]
    [InlineData("2024-03-16,early_close,13:00", "mine.csv:3: 2024-03-16 is a Saturday; only weekdays have sessions")]
    [InlineData("2024-03-15,early_close,08:00", "mine.csv:3: early close 08:00 on 2024-03-15 is outside the XNYS session 09:30-16:00")]
    [InlineData("2024-03-11,closed", "mine.csv:3: 2024-03-11 is already listed on line 2")]
    public void Create_MalformedLine_SaysWhichFileAndLine(string badLine, string message)
    {
        var text = "# header comment\n2024-03-11,closed,,,fine\n" + badLine + "\n";
        var ex = Assert.Throws<InvalidRequestException>(() => FromText("XNYS", text));
        Assert.Equal(message, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Create_FromPath_ErrorsNameThePath()
    {
        using var folder = new TempFolder();
        var path = folder.File("bad.csv");
        File.WriteAllText(path, "2024-03-15,closed\nnot-a-date,closed\n");
        var ex = Assert.Throws<InvalidRequestException>(() => TradingCalendars.Create("XNYS", path));
        Assert.StartsWith(path + ":2: 'not-a-date' is not a date", ex.Message, StringComparison.Ordinal);

        var missing = Assert.Throws<InvalidRequestException>(() => TradingCalendars.Create("XNYS", folder.File("none.csv")));
        Assert.StartsWith("cannot read holidays file '" + folder.File("none.csv") + "'", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_AlwaysOpenWithHolidays_IsRefused()
    {
        var ex = Assert.Throws<InvalidRequestException>(() => FromText("24/7", "2024-03-15,closed\n"));
        Assert.Contains("never closes", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidRequestException>(() => FromText("LSE", "2024-03-15,closed\n"));
    }
}
