using Gapless.Core.Model;
using NodaTime;

namespace Gapless.FakeVendors.Polygon;

/// <summary>
/// The fake's market: deterministic base aggregates from a seed for any ticker — minute bars on NYSE days from 04:00
/// to 20:00 New York time (every regular-hours minute, about two thirds of the pre- and post-market ones), and daily
/// bars — and the larger aggregates Polygon builds from them: minute and hour buckets counted from the snapped
/// <c>from</c>, day, week (Sunday to Saturday) and month buckets on New York dates, each stamped at its start. Every
/// base bar is computed on its own (no state), so answers for any window agree with each other and with
/// <see cref="FakePolygon.ExpectedBars"/>.
/// </summary>
internal sealed class FakePolygonMarket(FakePolygonOptions options)
{
    private const long MinuteMs = 60_000;
    private const long HourMs = 3_600_000;

    public static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    /// <summary>NYSE full-day closures of 2023 to 2025.</summary>
    public static readonly IReadOnlyList<DateOnly> NyseHolidays2023To2025 =
    [
        new(2023, 1, 2), new(2023, 1, 16), new(2023, 2, 20), new(2023, 4, 7), new(2023, 5, 29), new(2023, 6, 19),
        new(2023, 7, 4), new(2023, 9, 4), new(2023, 11, 23), new(2023, 12, 25),
        new(2024, 1, 1), new(2024, 1, 15), new(2024, 2, 19), new(2024, 3, 29), new(2024, 5, 27), new(2024, 6, 19),
        new(2024, 7, 4), new(2024, 9, 2), new(2024, 11, 28), new(2024, 12, 25),
        new(2025, 1, 1), new(2025, 1, 9), new(2025, 1, 20), new(2025, 2, 17), new(2025, 4, 18), new(2025, 5, 26),
        new(2025, 6, 19), new(2025, 7, 4), new(2025, 9, 1), new(2025, 11, 27), new(2025, 12, 25),
    ];

    private static readonly LocalTime PreMarketOpen = new(4, 0);
    private static readonly LocalTime RegularOpen = new(9, 30);
    private static readonly LocalTime RegularClose = new(16, 0);
    private static readonly LocalTime PostMarketClose = new(20, 0);

    private readonly HashSet<LocalDate> _holidays = [.. options.Holidays.Select(d => new LocalDate(d.Year, d.Month, d.Day))];

    /// <summary>Polygon's multiplier and timespan for a Gapless timeframe, or null when Polygon has none for it.</summary>
    public static (int Multiplier, string Timespan)? SpanOf(Timeframe timeframe) => timeframe.Code switch
    {
        "1m" => (1, "minute"),
        "3m" => (3, "minute"),
        "5m" => (5, "minute"),
        "15m" => (15, "minute"),
        "30m" => (30, "minute"),
        "1h" => (1, "hour"),
        "2h" => (2, "hour"),
        "4h" => (4, "hour"),
        "6h" => (6, "hour"),
        "8h" => (8, "hour"),
        "12h" => (12, "hour"),
        "1d" => (1, "day"),
        "1w" => (1, "week"),
        "1M" => (1, "month"),
        _ => null,
    };

    public static bool IsKnownTimespan(string timespan) => timespan is "minute" or "hour" or "day" or "week" or "month";

    public static bool IsDayBased(string timespan) => timespan is "day" or "week" or "month";

    public static long MidnightOf(LocalDate date) => date.AtStartOfDayInZone(NewYork).ToInstant().ToUnixTimeMilliseconds();

    public static LocalDate DateOf(long ms) => Instant.FromUnixTimeMilliseconds(ms).InZone(NewYork).Date;

    public bool Knows(string ticker) => !options.UnknownTickers.Contains(ticker);

    public bool IsTradingDay(LocalDate date) => date.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday) && !_holidays.Contains(date);

    /// <summary>
    /// The aggregates of <paramref name="multiplier"/> × <paramref name="timespan"/> from the window holding
    /// <paramref name="fromMs"/> through the one holding <paramref name="toMs"/>, built from base bars opened before
    /// <paramref name="visibleUntilMs"/>, ascending, each with the number of base aggregates it used. Buckets with no
    /// base bar are absent, as at Polygon.
    /// </summary>
    public IEnumerable<(FakeAgg Agg, int Base)> Buckets(string ticker, int multiplier, string timespan, long fromMs, long toMs, long visibleUntilMs)
        => IsDayBased(timespan)
            ? DayBuckets(ticker, multiplier, timespan, fromMs, toMs, visibleUntilMs)
            : IntradayBuckets(ticker, multiplier, timespan == "hour" ? HourMs : MinuteMs, fromMs, toMs, visibleUntilMs);

    /// <summary>The end of the window of <paramref name="multiplier"/> × <paramref name="timespan"/> that starts at <paramref name="startMs"/>.</summary>
    public static long EndOf(long startMs, int multiplier, string timespan) => timespan switch
    {
        "minute" => startMs + (multiplier * MinuteMs),
        "hour" => startMs + (multiplier * HourMs),
        "day" => MidnightOf(DateOf(startMs).PlusDays(multiplier)),
        "week" => MidnightOf(DateOf(startMs).PlusWeeks(multiplier)),
        _ => MidnightOf(DateOf(startMs).PlusMonths(multiplier)),
    };

    private IEnumerable<(FakeAgg, int)> IntradayBuckets(string ticker, int multiplier, long unitMs, long fromMs, long toMs, long visibleUntilMs)
    {
        var length = multiplier * unitMs;
        for (var start = fromMs - (((fromMs % unitMs) + unitMs) % unitMs); start <= toMs && start < visibleUntilMs; start += length)
        {
            var minutes = new List<FakeAgg>();
            for (var m = start; m < start + length && m < visibleUntilMs; m += MinuteMs)
            {
                if (Minute(ticker, m) is { } bar)
                {
                    minutes.Add(bar);
                }
            }

            if (minutes.Count > 0)
            {
                yield return (Combine(ticker, multiplier, unitMs == HourMs ? "hour" : "minute", start, minutes), minutes.Count);
            }
        }
    }

    private IEnumerable<(FakeAgg, int)> DayBuckets(string ticker, int multiplier, string timespan, long fromMs, long toMs, long visibleUntilMs)
    {
        var first = DateOf(fromMs);
        var date = timespan switch
        {
            "week" => first.PlusDays(-((int)first.DayOfWeek % 7)), // back to Sunday
            "month" => new LocalDate(first.Year, first.Month, 1),
            _ => first,
        };
        while (MidnightOf(date) <= toMs && MidnightOf(date) < visibleUntilMs)
        {
            var end = timespan switch
            {
                "week" => date.PlusWeeks(multiplier),
                "month" => date.PlusMonths(multiplier),
                _ => date.PlusDays(multiplier),
            };
            var days = new List<FakeAgg>();
            for (var d = date; d < end && MidnightOf(d) < visibleUntilMs; d = d.PlusDays(1))
            {
                if (Day(ticker, d) is { } bar)
                {
                    days.Add(bar);
                }
            }

            if (days.Count > 0)
            {
                yield return (Combine(ticker, multiplier, timespan, MidnightOf(date), days), days.Count);
            }

            date = end;
        }
    }

    /// <summary>The minute bar opening at <paramref name="ms"/>, or null when nothing traded in it.</summary>
    private FakeAgg? Minute(string ticker, long ms)
    {
        var local = Instant.FromUnixTimeMilliseconds(ms).InZone(NewYork).LocalDateTime;
        if (!IsTradingDay(local.Date) || local.TimeOfDay < PreMarketOpen || local.TimeOfDay >= PostMarketClose || InHole(ms))
        {
            return null;
        }

        var key = Mix((ulong)options.Seed, Hash(ticker), (ulong)ms, 1);
        var regular = local.TimeOfDay >= RegularOpen && local.TimeOfDay < RegularClose;
        if (!regular && Unit(key, 9) < 0.35)
        {
            return null;
        }

        var o = Price(ticker, ms);
        var c = Price(ticker, ms + 59_000);
        var h = Round(Math.Max(o, c) * (decimal)(1 + (0.0006 * Unit(key, 1))), 2);
        var l = Round(Math.Min(o, c) * (decimal)(1 - (0.0006 * Unit(key, 2))), 2);
        var volume = (long)((regular ? 2_000 : 100) + ((regular ? 60_000 : 3_000) * Unit(key, 3)));
        var vw = Round(l + ((h - l) * (decimal)Unit(key, 4)), 4);
        var trades = Math.Max(1, volume / (long)(50 + (100 * Unit(key, 5))));
        return new FakeAgg(ms, o, h, l, c, volume, vw, trades, 0);
    }

    /// <summary>The daily bar of <paramref name="date"/>, stamped at its New York midnight, or null when there is none.</summary>
    private FakeAgg? Day(string ticker, LocalDate date)
    {
        var midnight = MidnightOf(date);
        if (!IsTradingDay(date) || InHole(midnight))
        {
            return null;
        }

        var key = Mix((ulong)options.Seed, Hash(ticker), (ulong)midnight, 2);
        var o = Price(ticker, midnight + (long)(13.5 * HourMs));
        var c = Price(ticker, midnight + (20 * HourMs));
        var h = Round(Math.Max(o, c) * (decimal)(1 + (0.012 * Unit(key, 1))), 2);
        var l = Round(Math.Min(o, c) * (decimal)(1 - (0.012 * Unit(key, 2))), 2);

        // Round volumes (trailing zeros) now and then, so the exponent form of the double is short: 7.0254e+07.
        var volume = (long)(1_000_000 + (90_000_000 * Unit(key, 3)));
        volume = Unit(key, 6) < 0.3 ? volume / 1000 * 1000 : volume;
        var vw = Round(l + ((h - l) * (decimal)Unit(key, 4)), 4);
        return new FakeAgg(midnight, o, h, l, c, volume, vw, volume / 120, 0);
    }

    private FakeAgg Combine(string ticker, int multiplier, string timespan, long start, List<FakeAgg> bars)
    {
        var volume = bars.Sum(b => b.Volume);
        var vw = volume == 0 ? bars[0].Vw : Round(bars.Sum(b => b.Vw * b.Volume) / volume, 4);
        var style = (int)(Mix((ulong)options.Seed, Hash(ticker), Hash(timespan), (ulong)multiplier, (ulong)start) % 3);
        return new FakeAgg(start, bars[0].O, bars.Max(b => b.H), bars.Min(b => b.L), bars[^1].C, volume, vw, bars.Sum(b => b.Trades), style);
    }

    private bool InHole(long ms) => options.Holes.Any(h => h.Contains(ms));

    // A smooth walk (slow and fast waves) with per-minute noise, in cents, around a price the ticker picks.
    private decimal Price(string ticker, long instantMs)
    {
        var basePrice = 20 + (Hash(ticker) % 480);
        var t = instantMs / 86_400_000.0;
        var phase = Hash(ticker) % 1000 / 100.0;
        var wave = (0.2 * Math.Sin((t / 97.0) + phase)) + (0.04 * Math.Sin((t * 3.1) + phase)) + (0.004 * Math.Sin(t * 290.0));
        var noise = 0.001 * ((2 * Unit(Mix((ulong)options.Seed, Hash(ticker), (ulong)(instantMs / MinuteMs)), 0)) - 1);
        return Round(basePrice * (decimal)(1 + wave + noise), 2);
    }

    private static decimal Round(decimal value, int decimals) => Math.Round(value, decimals, MidpointRounding.ToEven);

    private static double Unit(ulong key, ulong salt) => (SplitMix(key ^ (salt * 0x9E3779B97F4A7C15UL)) >> 11) * (1.0 / (1UL << 53));

    internal static ulong Mix(params ReadOnlySpan<ulong> parts)
    {
        var h = 0xCBF29CE484222325UL;
        foreach (var p in parts)
        {
            h = SplitMix(h ^ p);
        }

        return h;
    }

    private static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    // FNV-1a: string.GetHashCode differs between processes, and the data must not.
    internal static ulong Hash(string text)
    {
        var h = 0xCBF29CE484222325UL;
        foreach (var ch in text)
        {
            h = (h ^ ch) * 0x100000001B3UL;
        }

        return h;
    }
}
