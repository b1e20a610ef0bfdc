namespace Gapless.Core.Tests.Calendars;

/// <summary>
/// The tests' own NYSE facts for 2018–2027, written out from NYSE's published holiday and early-closing calendars,
/// independent of the product's data file, and an oracle built from them: sessions from the US DST rule written by
/// hand (second Sunday of March to first Sunday of November since 2007), no time-zone library involved.
/// </summary>
internal static class NyseReference
{
    public const int FirstYear = 2018;
    public const int LastYear = 2027;

    private const long Minute = 60_000;
    private const long Day = 1440 * Minute;

    /// <summary>Every weekday the NYSE is closed, 2018–2027.</summary>
    public static readonly DateOnly[] Closed =
    [
        D(2018, 1, 1), D(2018, 1, 15), D(2018, 2, 19), D(2018, 3, 30), D(2018, 5, 28), D(2018, 7, 4), D(2018, 9, 3),
        D(2018, 11, 22), D(2018, 12, 5), D(2018, 12, 25),
        D(2019, 1, 1), D(2019, 1, 21), D(2019, 2, 18), D(2019, 4, 19), D(2019, 5, 27), D(2019, 7, 4), D(2019, 9, 2),
        D(2019, 11, 28), D(2019, 12, 25),
        D(2020, 1, 1), D(2020, 1, 20), D(2020, 2, 17), D(2020, 4, 10), D(2020, 5, 25), D(2020, 7, 3), D(2020, 9, 7),
        D(2020, 11, 26), D(2020, 12, 25),
        D(2021, 1, 1), D(2021, 1, 18), D(2021, 2, 15), D(2021, 4, 2), D(2021, 5, 31), D(2021, 7, 5), D(2021, 9, 6),
        D(2021, 11, 25), D(2021, 12, 24),
        D(2022, 1, 17), D(2022, 2, 21), D(2022, 4, 15), D(2022, 5, 30), D(2022, 6, 20), D(2022, 7, 4), D(2022, 9, 5),
        D(2022, 11, 24), D(2022, 12, 26),
        D(2023, 1, 2), D(2023, 1, 16), D(2023, 2, 20), D(2023, 4, 7), D(2023, 5, 29), D(2023, 6, 19), D(2023, 7, 4),
        D(2023, 9, 4), D(2023, 11, 23), D(2023, 12, 25),
        D(2024, 1, 1), D(2024, 1, 15), D(2024, 2, 19), D(2024, 3, 29), D(2024, 5, 27), D(2024, 6, 19), D(2024, 7, 4),
        D(2024, 9, 2), D(2024, 11, 28), D(2024, 12, 25),
        D(2025, 1, 1), D(2025, 1, 9), D(2025, 1, 20), D(2025, 2, 17), D(2025, 4, 18), D(2025, 5, 26), D(2025, 6, 19),
        D(2025, 7, 4), D(2025, 9, 1), D(2025, 11, 27), D(2025, 12, 25),
        D(2026, 1, 1), D(2026, 1, 19), D(2026, 2, 16), D(2026, 4, 3), D(2026, 5, 25), D(2026, 6, 19), D(2026, 7, 3),
        D(2026, 9, 7), D(2026, 11, 26), D(2026, 12, 25),
        D(2027, 1, 1), D(2027, 1, 18), D(2027, 2, 15), D(2027, 3, 26), D(2027, 5, 31), D(2027, 6, 18), D(2027, 7, 5),
        D(2027, 9, 6), D(2027, 11, 25), D(2027, 12, 24),
    ];

    /// <summary>Every 13:00 early close, 2018–2027.</summary>
    public static readonly DateOnly[] EarlyCloses =
    [
        D(2018, 7, 3), D(2018, 11, 23), D(2018, 12, 24),
        D(2019, 7, 3), D(2019, 11, 29), D(2019, 12, 24),
        D(2020, 11, 27), D(2020, 12, 24),
        D(2021, 11, 26),
        D(2022, 11, 25),
        D(2023, 7, 3), D(2023, 11, 24),
        D(2024, 7, 3), D(2024, 11, 29), D(2024, 12, 24),
        D(2025, 7, 3), D(2025, 11, 28), D(2025, 12, 24),
        D(2026, 11, 27), D(2026, 12, 24),
        D(2027, 11, 26),
    ];

    private static readonly HashSet<DateOnly> ClosedSet = [.. Closed];
    private static readonly HashSet<DateOnly> EarlySet = [.. EarlyCloses];

    public static bool IsEarlyClose(DateOnly date) => EarlySet.Contains(date);

    public static bool IsTradingDate(DateOnly date)
        => date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !ClosedSet.Contains(date);

    public static IEnumerable<DateOnly> TradingDates(int year)
    {
        for (var d = new DateOnly(year, 1, 1); d.Year == year; d = d.AddDays(1))
        {
            if (IsTradingDate(d))
            {
                yield return d;
            }
        }
    }

    /// <summary>The NYSE Arca late session's end on early-close days: 16:00 in NYSE's 2018 release, 17:00 from 2020.</summary>
    public static TimeOnly ExtendedEarlyClose(DateOnly date) => date.Year <= 2019 ? new(16, 0) : new(17, 0);

    /// <summary>The session of a trading date in UTC epoch ms, or null when the exchange is closed.</summary>
    public static (long Open, long Close)? Session(DateOnly date, bool extended)
    {
        if (!IsTradingDate(date))
        {
            return null;
        }

        var early = IsEarlyClose(date);
        var (open, close) = extended
            ? (new TimeOnly(4, 0), early ? ExtendedEarlyClose(date) : new TimeOnly(20, 0))
            : (new TimeOnly(9, 30), early ? new TimeOnly(13, 0) : new TimeOnly(16, 0));
        return (NewYorkToUtcMs(date, open), NewYorkToUtcMs(date, close));
    }

    /// <summary>New York local time to UTC for a weekday (never a transition day, which are Sundays).</summary>
    public static long NewYorkToUtcMs(DateOnly date, TimeOnly time)
    {
        var offsetHours = IsDaylightSaving(date) ? 4 : 5;
        return new DateTimeOffset(date.ToDateTime(time), TimeSpan.Zero).ToUnixTimeMilliseconds() + (offsetHours * 60 * Minute);
    }

    public static bool IsDaylightSaving(DateOnly date)
    {
        var start = NthSunday(date.Year, 3, 2);
        var end = NthSunday(date.Year, 11, 1);
        return date >= start && date < end;
    }

    public static long Ms(DateOnly date) => new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();

    public static DateOnly DateOf(long ms) => DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime);

    /// <summary>Whether the oracle expects the bar <c>[open, close)</c>: overlap with a session intraday, a trading date's midnight daily+.</summary>
    public static bool Expects(long open, long close, bool daily, bool extended)
    {
        if (daily)
        {
            for (var t = open; t < close; t += Day)
            {
                if (IsTradingDate(DateOf(t)))
                {
                    return true;
                }
            }

            return false;
        }

        for (var d = DateOf(open).AddDays(-2); d <= DateOf(close).AddDays(1); d = d.AddDays(1))
        {
            if (Session(d, extended) is { } s && s.Open < close && open < s.Close)
            {
                return true;
            }
        }

        return false;
    }

    private static DateOnly NthSunday(int year, int month, int n)
    {
        var first = new DateOnly(year, month, 1);
        var offset = ((int)DayOfWeek.Sunday - (int)first.DayOfWeek + 7) % 7;
        return first.AddDays(offset + (7 * (n - 1)));
    }

    private static DateOnly D(int year, int month, int day) => new(year, month, day);
}
