using Gapless.Core.Model;

namespace Gapless.FakeVendors.Binance;

/// <summary>
/// The fake's market: deterministic klines from a seed for every symbol, timeframe and open time, with the
/// symbol's listing, holes, halts, off-grid klines and bad rows, as of the fake's "now". Any kline is computed on
/// its own (no state), so answers for any window agree with each other and with <see cref="FakeBinance.ExpectedBars"/>.
/// </summary>
internal sealed class FakeBinanceMarket(FakeBinanceOptions options)
{
    private readonly Dictionary<string, FakeSymbol> _symbols = options.Symbols.ToDictionary(s => s.Name, StringComparer.Ordinal);

    public bool Knows(string symbol) => _symbols.ContainsKey(symbol);

    public FakeSymbol Symbol(string symbol) => _symbols[symbol];

    /// <summary>
    /// What Binance answers for klines with open time in <c>[startMs, endMsInclusive]</c>, at most
    /// <paramref name="limit"/>, as of <paramref name="nowMs"/> — the still-open kline included, with partial values.
    /// </summary>
    public List<FakeKline> Klines(string symbol, Timeframe tf, long startMs, long endMsInclusive, int limit, long nowMs)
    {
        var s = _symbols[symbol];
        var result = new List<FakeKline>(Math.Min(limit, 1000));

        // Nothing opens before the listing: skip straight to it rather than walking empty years.
        var slot = tf.Floor(Math.Max(startMs, tf.Floor(s.ListedAtMs)));
        while (result.Count < limit && slot <= endMsInclusive && slot <= nowMs)
        {
            if (Kline(s, tf, slot, nowMs) is { } k && k.OpenTime >= startMs && k.OpenTime <= endMsInclusive && k.OpenTime <= nowMs)
            {
                result.Add(k);
            }

            slot = tf.Add(slot, 1);
        }

        return result;
    }

    /// <summary>Final klines (closed at <paramref name="nowMs"/>) with open time in <paramref name="range"/>.</summary>
    public IEnumerable<FakeKline> FinalKlines(string symbol, Timeframe tf, TimeRange range, long nowMs)
    {
        var s = _symbols[symbol];
        for (var slot = tf.Floor(Math.Max(range.FromMs, tf.Floor(s.ListedAtMs))); slot < range.ToMs; slot = tf.Add(slot, 1))
        {
            if (Kline(s, tf, slot, nowMs) is { } k && range.Contains(k.OpenTime) && tf.CloseOf(slot) <= nowMs)
            {
                yield return k;
            }
        }
    }

    /// <summary>The kline of the grid slot opening at <paramref name="slot"/>, or null when there is none.</summary>
    private FakeKline? Kline(FakeSymbol s, Timeframe tf, long slot, long nowMs)
    {
        var slotEnd = tf.CloseOf(slot);
        if (slot < s.ListedAtMs || s.Holes.Any(h => h.Contains(slot)))
        {
            return null;
        }

        var open = slot;
        foreach (var g in s.OffGrid)
        {
            if (g.Timeframe == tf && g.OpenTimeMs > slot && g.OpenTimeMs < slotEnd)
            {
                open = g.OpenTimeMs;
            }
        }

        var closeTime = slotEnd - 1;
        var cutShort = false;
        foreach (var halt in s.Halts)
        {
            if (slot > halt.LastTradeMs && slot < halt.ResumeMs)
            {
                return null;
            }

            if (halt.LastTradeMs >= slot && halt.LastTradeMs < slotEnd - 1)
            {
                closeTime = halt.LastTradeMs;
                cutShort = true;
            }
        }

        if (open > nowMs)
        {
            return null;
        }

        // The open kline's values so far; its close time is still the scheduled one, as on Binance.
        var valuesUntil = Math.Min(cutShort ? closeTime + 1 : slotEnd, nowMs + 1);
        return Generate(s, tf, open, valuesUntil, closeTime, cutShort);
    }

    private FakeKline Generate(FakeSymbol s, Timeframe tf, long open, long valuesUntil, long closeTime, bool cutShort)
    {
        var key = Mix((ulong)options.Seed, Hash(s.Name), Hash(tf.Code), (ulong)open);
        var minutes = Math.Max(1.0, (valuesUntil - open) / 60_000.0);
        var o = Price(s, open);
        var c = Price(s, valuesUntil - 1);
        var spread = 0.0008 * Math.Sqrt(minutes);
        var high = Round(Math.Max(o, c) * (decimal)(1 + (spread * Unit(key, 1))), 2);
        var low = Round(Math.Min(o, c) * (decimal)(1 - (spread * Unit(key, 2))), 2);
        if (Unit(key, 3) < options.InvalidRowRate)
        {
            // Bad data at the source: served every time, for the validator to catch.
            (high, low) = (low, high);
        }

        var volume = Round((decimal)(minutes * (2 + (20 * Unit(key, 4)))), 5);
        var mid = (high + low) / 2;
        var takerBase = Round(volume * (decimal)(0.3 + (0.4 * Unit(key, 5))), 5);
        return new FakeKline(
            open, o, high, low, c, volume, closeTime,
            QuoteVolume: Round(volume * mid, 8),
            Trades: (long)(minutes * (20 + (200 * Unit(key, 6)))),
            TakerBuyBase: takerBase,
            TakerBuyQuote: Round(takerBase * mid, 8),
            cutShort);
    }

    // A smooth walk (slow and fast waves) with per-minute noise, rounded to cents like BTCUSDT's tick.
    private decimal Price(FakeSymbol s, long instantMs)
    {
        var t = instantMs / 86_400_000.0;
        var phase = Hash(s.Name) % 1000 / 100.0;
        var wave = (0.25 * Math.Sin((t / 97.0) + phase)) + (0.05 * Math.Sin((t * 3.1) + phase)) + (0.01 * Math.Sin(t * 290.0));
        var noise = 0.002 * ((2 * Unit(Mix((ulong)options.Seed, Hash(s.Name), (ulong)(instantMs / 60_000)), 0)) - 1);
        return Round(s.BasePrice * (decimal)(1 + wave + noise), 2);
    }

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
}
