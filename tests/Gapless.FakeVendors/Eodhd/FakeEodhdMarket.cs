using System.Globalization;
using System.Text;
using Gapless.Core.Model;
using NodaTime;

namespace Gapless.FakeVendors.Eodhd;

/// <summary>
/// The fake's market: deterministic bars from a seed for every <c>CODE.US</c> ticker, timeframe and open time, on
/// extended hours (04:00–20:00 New York time on weekdays that are not holidays), minus holes, unpublished and
/// not-yet-closed bars. Any bar is computed on its own (no state), so answers for any window agree with each other and
/// with <see cref="FakeEodhd.ExpectedBars"/>.
/// </summary>
internal sealed class FakeEodhdMarket(FakeEodhdOptions options)
{
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];
    private static readonly LocalTime SessionStart = new(4, 0);
    private static readonly LocalTime SessionEnd = new(20, 0);

    public bool Knows(string ticker)
        => ticker.EndsWith(".US", StringComparison.OrdinalIgnoreCase) && ticker.Length > 3 && !options.UnknownTickers.Contains(ticker);

    /// <summary>
    /// Every bar EODHD serves for <paramref name="ticker"/> with open time in <paramref name="range"/>, ascending, as of
    /// <paramref name="nowMs"/>: only closed, published bars outside holes (null-volume rows included).
    /// </summary>
    public IEnumerable<FakeEodhdBar> Bars(string ticker, Timeframe tf, TimeRange range, long nowMs)
    {
        var publishedUntil = options.PublishedUntil?.ToUnixTimeMilliseconds() ?? long.MaxValue;
        foreach (var session in Sessions(range))
        {
            for (var open = tf.Ceiling(session.FromMs); open < session.ToMs; open = tf.Add(open, 1))
            {
                if (tf.CloseOf(open) > nowMs || open >= publishedUntil || options.Holes.Any(h => h.Contains(open)))
                {
                    continue;
                }

                yield return Generate(ticker, tf, open);
            }
        }
    }

    /// <summary>The extended-hours sessions overlapping <paramref name="range"/>, each cut to it, ascending.</summary>
    private IEnumerable<TimeRange> Sessions(TimeRange range)
    {
        if (range.IsEmpty)
        {
            yield break;
        }

        var first = Instant.FromUnixTimeMilliseconds(range.FromMs).InZone(NewYork).Date;
        var last = Instant.FromUnixTimeMilliseconds(range.ToMs - 1).InZone(NewYork).Date;
        for (var date = first; date <= last; date = date.PlusDays(1))
        {
            if (date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday
                || options.Holidays.Contains(new DateOnly(date.Year, date.Month, date.Day)))
            {
                continue;
            }

            // 04:00 and 20:00 always exist in New York (clocks change at 02:00).
            var start = NewYork.AtStrictly(date.At(SessionStart)).ToInstant().ToUnixTimeMilliseconds();
            var end = NewYork.AtStrictly(date.At(SessionEnd)).ToInstant().ToUnixTimeMilliseconds();
            var cut = new TimeRange(start, end).Intersect(range);
            if (!cut.IsEmpty)
            {
                yield return cut;
            }
        }
    }

    private FakeEodhdBar Generate(string ticker, Timeframe tf, long open)
    {
        var symbol = ticker.ToUpperInvariant();
        var key = Mix((ulong)options.Seed, Hash(symbol), Hash(tf.Code), (ulong)open);
        var close = tf.CloseOf(open);
        var minutes = (close - open) / 60_000.0;

        // EODHD's prices come with 2 to 6 decimals (146.36, 146.949996): vary the precision per bar.
        var decimals = 2 + (int)(key % 5);
        var o = Round(Price(symbol, open), decimals);
        var c = Round(Price(symbol, close - 1), decimals);
        var spread = 0.0006 * Math.Sqrt(minutes);
        var high = Round(Math.Max(o, c) * (decimal)(1 + (spread * Unit(key, 1))), decimals);
        var low = Round(Math.Min(o, c) * (decimal)(1 - (spread * Unit(key, 2))), decimals);
        long? volume = Unit(key, 3) < options.NullVolumeRate ? null : (long)(minutes * (50 + (20_000 * Unit(key, 4))));
        return new FakeEodhdBar(open, o, high, low, c, volume);
    }

    // A smooth walk (slow and fast waves) with per-minute noise.
    private decimal Price(string symbol, long instantMs)
    {
        var t = instantMs / 86_400_000.0;
        var h = Hash(symbol);
        var basePrice = 20 + (h % 480);
        var phase = h % 1000 / 100.0;
        var wave = (0.2 * Math.Sin((t / 61.0) + phase)) + (0.04 * Math.Sin((t * 2.7) + phase)) + (0.01 * Math.Sin(t * 310.0));
        var noise = 0.0015 * ((2 * Unit(Mix((ulong)options.Seed, h, (ulong)(instantMs / 60_000)), 0)) - 1);
        return (decimal)(basePrice * (1 + wave + noise));
    }

    // Rounded, then stripped of trailing zeros: the value as its shortest JSON number reads back.
    private static decimal Round(decimal value, int decimals)
        => decimal.Parse(Math.Round(value, decimals, MidpointRounding.ToEven).ToString("0.######", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

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
}

/// <summary>One bar as the fake serves it; written in EODHD's exact wire form by <see cref="WriteTo"/>.</summary>
/// <param name="Volume">Null for a bar served with <c>"volume":null</c>.</param>
internal sealed record FakeEodhdBar(long OpenTime, decimal Open, decimal High, decimal Low, decimal Close, long? Volume)
{
    /// <summary>The Core bar a faithful client makes of this row (values are already in their wire scale).</summary>
    public Bar ToBar() => new(OpenTime, Open, High, Low, Close, Volume ?? throw new InvalidOperationException("a null-volume row is no bar"));

    /// <summary>
    /// <c>{"timestamp":1627911000,"gmtoffset":0,"datetime":"2021-08-02 13:30:00","open":146.36,"high":146.949996,…,"volume":3930530}</c>:
    /// the field order and types of EODHD's answer, no whitespace.
    /// </summary>
    public void WriteTo(StringBuilder json)
    {
        var c = CultureInfo.InvariantCulture;
        var open = DateTimeOffset.FromUnixTimeMilliseconds(OpenTime);
        json.Append("{\"timestamp\":").Append((OpenTime / 1000).ToString(c))
            .Append(",\"gmtoffset\":0,\"datetime\":\"").Append(open.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", c))
            .Append("\",\"open\":").Append(Open.ToString(c))
            .Append(",\"high\":").Append(High.ToString(c))
            .Append(",\"low\":").Append(Low.ToString(c))
            .Append(",\"close\":").Append(Close.ToString(c))
            .Append(",\"volume\":").Append(Volume is { } v ? v.ToString(c) : "null")
            .Append('}');
    }
}
