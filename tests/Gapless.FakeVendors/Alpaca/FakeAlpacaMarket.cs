using System.Text.RegularExpressions;
using Gapless.Core.Model;
using NodaTime;

namespace Gapless.FakeVendors.Alpaca;

/// <summary>
/// The fake's market: deterministic bars from a seed for any symbol, timeframe and slot, on New York's extended
/// session (04:00–20:00 on weekdays that are not holidays), with quiet minutes and vendor holes, as of the fake's
/// "now". Every bar is computed on its own (no state), so answers for any window agree with each other and with
/// <see cref="FakeAlpaca.ExpectedBars"/>. Intraday bars open on the UTC grid of their timeframe (Alpaca's 4-hour bars
/// open at 00:00, 04:00, … UTC); daily bars are stamped at New York midnight of their date; weekly and monthly bars
/// at New York midnight of the first trading day of their week (Monday to Sunday) or month.
/// </summary>
internal sealed partial class FakeAlpacaMarket(FakeAlpacaOptions options)
{
    public static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    private const long Minute = 60_000;
    private const long Day = 86_400_000;

    public static bool IsWellFormed(string symbol) => SymbolPattern().IsMatch(symbol);

    public bool Knows(string symbol) => IsWellFormed(symbol) && !options.UnknownSymbols.Contains(symbol);

    /// <summary>Bars served for <paramref name="symbol"/> with Alpaca stamp in <c>[fromMs, toMsInclusive]</c>, ascending.</summary>
    public IEnumerable<FakeAlpacaBar> Served(string symbol, Timeframe tf, long fromMs, long toMsInclusive, long nowMs)
    {
        if (!Knows(symbol) || toMsInclusive < fromMs)
        {
            yield break;
        }

        if (!IsDailyOrLonger(tf))
        {
            for (var slot = tf.Ceiling(fromMs); slot <= toMsInclusive && slot < nowMs; slot = tf.Add(slot, 1))
            {
                if (Bar(symbol, tf, slot, nowMs) is { } bar)
                {
                    yield return bar;
                }
            }

            yield break;
        }

        // A weekly or monthly bar may be stamped a few days after its Gapless open: start a week early.
        for (var slot = tf.Floor(fromMs - (7 * Day)); slot <= toMsInclusive && slot < nowMs; slot = tf.Add(slot, 1))
        {
            if (Bar(symbol, tf, slot, nowMs) is { } bar && bar.Stamp >= fromMs && bar.Stamp <= toMsInclusive)
            {
                yield return bar;
            }
        }
    }

    /// <summary>Bars served for <paramref name="symbol"/> with Gapless open time in <paramref name="range"/>, ascending.</summary>
    public IEnumerable<FakeAlpacaBar> InGaplessRange(string symbol, Timeframe tf, TimeRange range, long nowMs)
    {
        if (!Knows(symbol))
        {
            yield break;
        }

        for (var slot = tf.Ceiling(range.FromMs); slot < range.ToMs && slot < nowMs; slot = tf.Add(slot, 1))
        {
            if (Bar(symbol, tf, slot, nowMs) is { } bar)
            {
                yield return bar;
            }
        }
    }

    /// <summary>The bar of the Gapless slot opening at <paramref name="slot"/>, or null when there is none (yet).</summary>
    private FakeAlpacaBar? Bar(string symbol, Timeframe tf, long slot, long nowMs)
    {
        if (options.Holes.TryGetValue(symbol, out var holes) && holes.Any(h => h.Contains(slot)))
        {
            return null;
        }

        var key = Mix((ulong)options.Seed, Hash(symbol), Hash(tf.Code), (ulong)slot);
        long stamp, first, last, close;
        if (!IsDailyOrLonger(tf))
        {
            var end = tf.CloseOf(slot);
            var overlap = SessionOverlap(slot, end);
            if (overlap is null || (tf.NominalLengthMs <= 15 * Minute && Unit(key, 9) < options.QuietBarRate))
            {
                return null;
            }

            (stamp, first, last, close) = (slot, overlap.Value.From, overlap.Value.To - Minute, end);
        }
        else
        {
            var firstDate = UtcDate(slot);
            var endDate = UtcDate(tf.CloseOf(slot));
            var days = Enumerable.Range(0, Period.Between(firstDate, endDate, PeriodUnits.Days).Days).Select(firstDate.PlusDays).Where(IsTradingDay).ToList();
            if (days.Count == 0)
            {
                return null;
            }

            stamp = NewYorkMs(days[0].AtMidnight());
            first = NewYorkMs(days[0].At(new LocalTime(4, 0)));
            last = NewYorkMs(days[^1].At(new LocalTime(19, 59)));
            close = NewYorkMs(endDate.AtMidnight());
        }

        return close > nowMs ? null : Generate(symbol, key, stamp, slot, first, last);
    }

    private FakeAlpacaBar Generate(string symbol, ulong key, long stamp, long openTime, long firstMinute, long lastMinute)
    {
        // Mostly cents; one bar in ten trades at sub-penny prices (IEX prints 38.7012).
        var decimals = Unit(key, 7) < 0.1 ? 4 : 2;
        var minutes = Math.Max(1.0, ((lastMinute - firstMinute) / (double)Minute) + 1);
        var o = Price(symbol, firstMinute, decimals);
        var c = Price(symbol, lastMinute, decimals);
        var spread = 0.001 * Math.Sqrt(minutes);
        var high = Round(Math.Max(o, c) * (decimal)(1 + (spread * Unit(key, 1))), decimals);
        var low = Round(Math.Min(o, c) * (decimal)(1 - (spread * Unit(key, 2))), decimals);
        var volume = (long)(minutes * (50 + (500 * Unit(key, 4)))) + 1;
        var trades = Math.Max(1, volume / (20 + (long)(80 * Unit(key, 5))));
        var vwap = Round(low + ((high - low) * (decimal)Unit(key, 6)), 6);
        return new FakeAlpacaBar(stamp, openTime, o, high, low, c, volume, trades, vwap);
    }

    // A smooth walk (slow and fast waves) with per-minute noise around a per-symbol base between 20 and 500.
    private decimal Price(string symbol, long instantMs, int decimals)
    {
        var basePrice = 20 + (decimal)(Hash(symbol) % 481);
        var t = instantMs / (double)Day;
        var phase = Hash(symbol) % 1000 / 100.0;
        var wave = (0.25 * Math.Sin((t / 97.0) + phase)) + (0.05 * Math.Sin((t * 3.1) + phase)) + (0.01 * Math.Sin(t * 290.0));
        var noise = 0.002 * ((2 * Unit(Mix((ulong)options.Seed, Hash(symbol), (ulong)(instantMs / Minute)), 0)) - 1);
        return Round(basePrice * (decimal)(1 + wave + noise), decimals);
    }

    /// <summary>The part of <c>[from, to)</c> inside extended sessions, as one span from its first to its last session minute.</summary>
    private (long From, long To)? SessionOverlap(long from, long to)
    {
        long? first = null;
        long last = 0;
        for (var date = UtcDate(from).PlusDays(-1); date <= UtcDate(to - 1); date = date.PlusDays(1))
        {
            if (!IsTradingDay(date))
            {
                continue;
            }

            var open = Math.Max(from, NewYorkMs(date.At(new LocalTime(4, 0))));
            var close = Math.Min(to, NewYorkMs(date.At(new LocalTime(20, 0))));
            if (open < close)
            {
                first ??= open;
                last = close;
            }
        }

        return first is { } f ? (f, last) : null;
    }

    private bool IsTradingDay(LocalDate date)
        => date.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday)
            && !options.Holidays.Contains(new DateOnly(date.Year, date.Month, date.Day));

    internal static bool IsDailyOrLonger(Timeframe tf) => tf.NominalLengthMs >= Day;

    private static LocalDate UtcDate(long epochMs) => Instant.FromUnixTimeMilliseconds(epochMs).InUtc().Date;

    private static long NewYorkMs(LocalDateTime local) => local.InZoneLeniently(NewYork).ToInstant().ToUnixTimeMilliseconds();

    private static decimal Round(decimal value, int decimals) => Math.Round(value, decimals, MidpointRounding.ToEven);

    private static double Unit(ulong key, ulong salt) => (SplitMix(key ^ (salt * 0x9E3779B97F4A7C15UL)) >> 11) * (1.0 / (1UL << 53));

    private static ulong Mix(params ReadOnlySpan<ulong> parts)
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
    private static ulong Hash(string text)
    {
        var h = 0xCBF29CE484222325UL;
        foreach (var ch in text)
        {
            h = (h ^ ch) * 0x100000001B3UL;
        }

        return h;
    }

    [GeneratedRegex("^[A-Z][A-Z0-9.]{0,9}$", RegexOptions.CultureInvariant)]
    private static partial Regex SymbolPattern();
}
