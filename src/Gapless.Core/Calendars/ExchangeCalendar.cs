using Gapless.Core.Model;
using NodaTime;

namespace Gapless.Core.Calendars;

/// <summary>
/// An exchange that trades one session a weekday in its own time zone (for <c>XNYS</c>, 09:30–16:00
/// America/New_York), except on the listed holidays and early closes. Local times become UTC through NodaTime's
/// embedded tzdb, so daylight saving time is handled and results never depend on the machine.
/// <para>
/// Holidays are data, read from a file per exchange (<see cref="TradingCalendars"/>). The data covers the years
/// <see cref="FirstHolidayYear"/> through <see cref="LastHolidayYear"/>; outside them every weekday is taken for a
/// full session, so counts there are an upper bound: check <see cref="HasHolidayDataFor"/> and warn the user.
/// Sessions exist for trading dates in 1900 through 2199 only.
/// </para>
/// Immutable and thread-safe: each year's sessions are computed on first use and cached.
/// </summary>
public sealed partial class ExchangeCalendar : ITradingCalendar
{
    internal const int MinYear = 1900;
    internal const int MaxYear = 2199;
    private const long Day = 86_400_000;

    internal static readonly long MinMs = new DateTimeOffset(MinYear, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    internal static readonly long MaxMs = new DateTimeOffset(MaxYear + 1, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private readonly DateTimeZone _zone;
    private readonly LocalTime _open;
    private readonly LocalTime _close;
    private readonly Func<HolidayEntry, LocalTime> _earlyCloseOf;
    private readonly HolidayTable _holidays;
    private readonly SessionYear?[] _years = new SessionYear?[MaxYear - MinYear + 1];

    /// <param name="name">The name users type.</param>
    /// <param name="zone">The exchange's time zone.</param>
    /// <param name="open">The session open, local time.</param>
    /// <param name="close">The regular session close, local time.</param>
    /// <param name="earlyCloseOf">The session close on an early-close day, from that day's entry.</param>
    /// <param name="holidays">The holiday data in effect.</param>
    /// <param name="anchorYear">A year the built-in data covers; the covered span is the run of listed years around it.</param>
    internal ExchangeCalendar(
        string name,
        DateTimeZone zone,
        LocalTime open,
        LocalTime close,
        Func<HolidayEntry, LocalTime> earlyCloseOf,
        HolidayTable holidays,
        int anchorYear)
    {
        Name = name;
        _zone = zone;
        _open = open;
        _close = close;
        _earlyCloseOf = earlyCloseOf;
        _holidays = holidays;
        (FirstHolidayYear, LastHolidayYear) = holidays.CoveredYears(anchorYear);
        foreach (var entry in holidays.Entries.Where(e => e.Kind == DayKind.EarlyClose))
        {
            var earlyClose = earlyCloseOf(entry);
            if (earlyClose <= open || earlyClose > close)
            {
                throw HolidayFile.Error(entry.Source, entry.Line,
                    $"early close {HolidayFile.Hhmm(earlyClose)} on {HolidayFile.Iso(entry.Date)} is outside the {name} session " +
                    $"{HolidayFile.Hhmm(open)}-{HolidayFile.Hhmm(close)}");
            }
        }
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>The first year the holiday data covers (2018 for the built-in <c>XNYS</c> data).</summary>
    public int FirstHolidayYear { get; }

    /// <summary>The last year the holiday data covers, inclusive (2027 for the built-in <c>XNYS</c> data).</summary>
    public int LastHolidayYear { get; }

    /// <summary>
    /// True when every trading date <paramref name="range"/> touches (in the exchange's time zone) lies in
    /// <see cref="FirstHolidayYear"/>..<see cref="LastHolidayYear"/>. When false, holidays in the uncovered years are
    /// unknown and count as regular sessions. An empty range is covered.
    /// </summary>
    public bool HasHolidayDataFor(TimeRange range)
    {
        if (range.IsEmpty)
        {
            return true;
        }

        if (range.FromMs < MinMs || range.ToMs > MaxMs)
        {
            return false;
        }

        var first = Instant.FromUnixTimeMilliseconds(range.FromMs).InZone(_zone).Year;
        var last = Instant.FromUnixTimeMilliseconds(range.ToMs - 1).InZone(_zone).Year;
        return first >= FirstHolidayYear && last <= LastHolidayYear;
    }

    /// <summary>The whole session (UTC, half-open) holding <paramref name="instantMs"/>, or null between sessions.</summary>
    public TimeRange? SessionContaining(long instantMs)
    {
        if (instantMs < MinMs || instantMs >= MaxMs)
        {
            return null;
        }

        var day = FloorDay(instantMs);
        foreach (var s in SessionsByDate(day - (2 * Day), day + (2 * Day)))
        {
            if (s.OpenMs <= instantMs && instantMs < s.CloseMs)
            {
                return new TimeRange(s.OpenMs, s.CloseMs);
            }
        }

        return null;
    }

    /// <summary>
    /// The last whole session (UTC, half-open) that closed at or before <paramref name="instantMs"/>, or null when
    /// there is none since 1900.
    /// </summary>
    public TimeRange? PreviousSession(long instantMs)
    {
        if (instantMs <= MinMs)
        {
            return null;
        }

        // Look back a month at a time: the longest closures (a week in 2001) are far shorter.
        var to = instantMs >= MaxMs ? MaxMs : FloorDay(instantMs) + (2 * Day);
        while (to > MinMs)
        {
            var from = to - (31 * Day);
            Session? found = null;
            foreach (var s in SessionsByDate(from, to))
            {
                if (s.CloseMs <= instantMs)
                {
                    found = s;
                }
            }

            if (found is { } f)
            {
                return new TimeRange(f.OpenMs, f.CloseMs);
            }

            to = from;
        }

        return null;
    }

    /// <inheritdoc/>
    public IEnumerable<TimeRange> Sessions(TimeRange range)
    {
        var from = Math.Clamp(range.FromMs, MinMs, MaxMs);
        var to = Math.Clamp(range.ToMs, MinMs, MaxMs);
        if (to <= from)
        {
            yield break;
        }

        foreach (var s in SessionsByDate(FloorDay(from) - (2 * Day), FloorDay(to - 1) + (2 * Day)))
        {
            if (s.CloseMs > range.FromMs && s.OpenMs < range.ToMs)
            {
                yield return new TimeRange(Math.Max(s.OpenMs, range.FromMs), Math.Min(s.CloseMs, range.ToMs));
            }
        }
    }

    public override string ToString() => Name;

    /// <summary>00:00 UTC of the day holding <paramref name="instantMs"/>.</summary>
    private static long FloorDay(long instantMs)
    {
        var q = instantMs / Day;
        if (instantMs % Day < 0)
        {
            q--;
        }

        return q * Day;
    }

    /// <summary>The sessions whose trading date (as 00:00 UTC) is in <c>[fromDateMs, toDateMs)</c>, ascending.</summary>
    private IEnumerable<Session> SessionsByDate(long fromDateMs, long toDateMs)
    {
        fromDateMs = Math.Max(fromDateMs, MinMs);
        toDateMs = Math.Min(toDateMs, MaxMs);
        if (toDateMs <= fromDateMs)
        {
            yield break;
        }

        var lastYear = UtcTime.ToDateTimeOffset(toDateMs - 1).Year;
        for (var year = UtcTime.ToDateTimeOffset(fromDateMs).Year; year <= lastYear; year++)
        {
            var table = Year(year);
            for (var i = table.FirstOnOrAfter(fromDateMs); i < table.Count && table.DateMs(i) < toDateMs; i++)
            {
                yield return table[i];
            }
        }
    }

    private SessionYear Year(int year)
    {
        ref var slot = ref _years[year - MinYear];
        var table = Volatile.Read(ref slot);
        if (table is null)
        {
            // Two threads may build the same year; both results are equal and one wins.
            Interlocked.CompareExchange(ref slot, BuildYear(year), null);
            table = Volatile.Read(ref slot)!;
        }

        return table;
    }

    private SessionYear BuildYear(int year)
    {
        var sessions = new List<Session>(262);
        for (var date = new LocalDate(year, 1, 1); date.Year == year; date = date.PlusDays(1))
        {
            if (date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday)
            {
                continue;
            }

            var close = _close;
            if (_holidays.TryGet(date, out var entry))
            {
                if (entry.Kind == DayKind.Closed)
                {
                    continue;
                }

                if (entry.Kind == DayKind.EarlyClose)
                {
                    close = _earlyCloseOf(entry);
                }
            }

            var dateMs = date.AtMidnight().InUtc().ToInstant().ToUnixTimeMilliseconds();
            sessions.Add(new Session(dateMs, ToUtcMs(date + _open), ToUtcMs(date + close)));
        }

        return new SessionYear(sessions);
    }

    // Sessions never start or end inside a DST gap or overlap (those are at night); lenient is only a safe default.
    private long ToUtcMs(LocalDateTime local) => local.InZoneLeniently(_zone).ToInstant().ToUnixTimeMilliseconds();
}
