using Gapless.Core.Model;

namespace Gapless.Providers.Sim;

/// <summary>
/// A deterministic synthetic market with random access: the price at any minute is a sum of value-noise octaves
/// (lattice spacing 2^k minutes, amplitude ∝ √(2^k)), which behaves like a seeded random walk (spread grows with
/// the square root of the lag) yet needs no state, so any range gives the same bars however it is chunked.
/// Volume follows an intraday pattern (Asian and US peaks by UTC hour). Pure and thread-safe.
/// </summary>
internal sealed class SimMarket(SimOptions options)
{
    private const int Octaves = 21;
    private const double MinuteVolatility = 0.0008;
    private const long MinuteMs = 60_000;

    private static readonly double[] OctaveAmplitude = Enumerable.Range(0, Octaves)
        .Select(k => MinuteVolatility * Math.Sqrt(1L << k) * 0.7).ToArray();

    /// <summary>Bars of <paramref name="symbol"/> opening in <paramref name="range"/> (aligned to the timeframe).</summary>
    public List<Bar> Bars(string symbol, Timeframe timeframe, TimeRange range)
    {
        var seed = Mix(options.Seed ^ Fnv(symbol));
        var basePrice = BasePrice(symbol, seed);
        var listed = UtcTime.ToEpochMs(options.ListedFrom);
        var bars = new List<Bar>();
        for (var open = timeframe.Ceiling(range.FromMs); open < range.ToMs; open = timeframe.Add(open, 1))
        {
            if (open < listed)
            {
                continue;
            }

            var close = timeframe.CloseOf(open);
            if (IsHole(seed, open) || IsHole(seed, close - 1))
            {
                continue;
            }

            bars.Add(MakeBar(seed, basePrice, open, close));
        }

        return bars;
    }

    private static Bar MakeBar(ulong seed, double basePrice, long open, long close)
    {
        var minutes = (close - open) / MinuteMs;
        var samples = (int)Math.Min(minutes, 32);
        var o = Price(seed, basePrice, open);
        var c = Price(seed, basePrice, close);
        double hi = Math.Max(o, c), lo = Math.Min(o, c);
        for (var s = 1; s < samples; s++)
        {
            var p = Price(seed, basePrice, open + ((close - open) * s / samples));
            hi = Math.Max(hi, p);
            lo = Math.Min(lo, p);
        }

        // Moves inside the finest sample step, so highs and lows poke out of the sampled path.
        var wiggle = MinuteVolatility * Math.Sqrt(Math.Max(1, minutes / samples));
        hi *= 1 + (Math.Abs(Gauss(Mix(seed ^ (ulong)open ^ 0xA1))) * wiggle * 0.6);
        lo *= 1 - (Math.Abs(Gauss(Mix(seed ^ (ulong)open ^ 0xB2))) * wiggle * 0.6);

        var openPrice = Round(o, 2);
        var closePrice = Round(c, 2);
        var high = Math.Max(Round(hi, 2), Math.Max(openPrice, closePrice));
        var low = Math.Min(Round(lo, 2), Math.Min(openPrice, closePrice));
        var volume = Round(Volume(seed, open, minutes, basePrice), 5);
        var quoteVolume = Math.Round(volume * ((openPrice + closePrice) / 2), 4);
        var trades = (long)Math.Max(0, Math.Round((double)volume * 20_000 / Math.Sqrt(basePrice)));
        return new Bar(open, openPrice, high, low, closePrice, volume, quoteVolume, trades);
    }

    private static double Price(ulong seed, double basePrice, long instantMs)
    {
        var minute = instantMs / MinuteMs;
        var logMove = 0.0;
        for (var k = 0; k < Octaves; k++)
        {
            var cell = minute >> k;
            var frac = (double)(minute - (cell << k)) / (1L << k);
            var a = Gauss(Mix(seed ^ ((ulong)k << 56) ^ (ulong)cell));
            var b = Gauss(Mix(seed ^ ((ulong)k << 56) ^ (ulong)(cell + 1)));
            var t = frac * frac * (3 - (2 * frac));
            logMove += OctaveAmplitude[k] * (a + ((b - a) * t));
        }

        return basePrice * Math.Exp(logMove);
    }

    private static double Volume(ulong seed, long open, long minutes, double basePrice)
    {
        var hour = (open / 3_600_000 % 24) + 0.5;
        var pattern = 0.5 + (0.9 * Math.Exp(-((hour - 14.5) * (hour - 14.5)) / 8)) + (0.4 * Math.Exp(-((hour - 1.5) * (hour - 1.5)) / 6));
        var noise = Math.Exp(0.45 * Gauss(Mix(seed ^ (ulong)open ^ 0xC3)));
        var perMinute = 2_000_000 / basePrice;
        return perMinute * minutes * pattern * noise;
    }

    private bool IsHole(ulong seed, long instantMs)
        => options.HoleRate > 0 && Uniform(Mix(seed ^ 0xD4D4 ^ (ulong)(instantMs / 3_600_000))) < options.HoleRate;

    private static double BasePrice(string symbol, ulong seed)
    {
        if (symbol.Contains("BTC", StringComparison.Ordinal))
        {
            return 30_000;
        }

        if (symbol.Contains("ETH", StringComparison.Ordinal))
        {
            return 2_000;
        }

        return Math.Exp(Math.Log(5) + (Uniform(seed) * Math.Log(2_000)));
    }

    private static decimal Round(double value, int decimals) => Math.Round((decimal)value, decimals, MidpointRounding.ToEven);

    // An Irwin–Hall approximation of a standard normal: cheap, bounded, deterministic.
    private static double Gauss(ulong h)
        => (((h & 0xFFFF) + ((h >> 16) & 0xFFFF) + ((h >> 32) & 0xFFFF) + (h >> 48)) / 65536.0 - 2.0) * 1.7320508;

    private static double Uniform(ulong h) => (h >> 11) * (1.0 / (1UL << 53));

    private static ulong Mix(ulong x)
    {
        // SplitMix64's finaliser.
        x += 0x9E3779B97F4A7C15;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EB;
        return x ^ (x >> 31);
    }

    private static ulong Fnv(string s)
    {
        var h = 14695981039346656037UL;
        foreach (var ch in s)
        {
            h = (h ^ ch) * 1099511628211UL;
        }

        return h;
    }
}
