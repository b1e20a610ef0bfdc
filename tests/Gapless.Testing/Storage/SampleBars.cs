using Gapless.Core.Model;

namespace Gapless.Testing.Storage;

/// <summary>
/// Deterministic bar builders for store tests and benchmarks. <see cref="BtcLike"/> imitates Binance BTCUSDT 1m
/// klines: prices with 2 significant decimals written with 8 (<c>"42000.01000000"</c>), volumes with 5,
/// quote volume = volume × a price inside the bar (7 decimals, written with 8), trade counts.
/// </summary>
public static class SampleBars
{
    private const long Minute = 60_000;

    /// <summary><paramref name="count"/> regular bars of <paramref name="stepMs"/> from <paramref name="startMs"/>, seeded.</summary>
    public static Bar[] BtcLike(long startMs, int count, int seed = 1, long stepMs = Minute)
    {
        var random = new Random(seed);
        var bars = new Bar[count];
        long close = 4_200_001; // cents
        for (var i = 0; i < count; i++)
        {
            var open = random.Next(10) == 0 ? close + random.Next(-2, 3) : close;
            var next = Math.Max(100, open + (long)(Gaussian(random) * 2_000));
            var high = Math.Max(open, next) + (long)Math.Abs(Gaussian(random) * 1_000);
            var low = Math.Max(1, Math.Min(open, next) - (long)Math.Abs(Gaussian(random) * 1_000));
            var volume = (long)(Math.Exp(Gaussian(random) * 0.8) * 1_500_000); // 15 BTC, 5 decimals
            var vwap = low + (long)(random.NextDouble() * (high - low));
            var quote = volume * vwap; // 7 decimals
            bars[i] = new Bar(
                startMs + (i * stepMs),
                Price(open),
                Price(high),
                Price(low),
                Price(next),
                DecimalScaling.FromMantissa(volume * 1_000, 8),
                DecimalScaling.FromMantissa(quote * 10, 8),
                500 + random.Next(2_500));
            close = next;
        }

        return bars;
    }

    /// <summary>A simple bar at <paramref name="openTimeMs"/> whose values derive from <paramref name="price"/>.</summary>
    public static Bar Simple(long openTimeMs, decimal price, decimal volume = 1.5m)
        => new(openTimeMs, price, price + 2, price - 1, price + 1, volume, price * volume, 7);

    /// <summary>Regular simple bars: one per <paramref name="stepMs"/> over <c>[fromMs, toMs)</c>.</summary>
    public static Bar[] Range(long fromMs, long toMs, long stepMs = Minute, decimal basePrice = 100m)
    {
        var bars = new List<Bar>();
        for (var t = fromMs; t < toMs; t += stepMs)
        {
            bars.Add(Simple(t, basePrice + ((t - fromMs) / stepMs % 97)));
        }

        return [.. bars];
    }

    private static decimal Price(long cents) => DecimalScaling.FromMantissa(cents * 1_000_000, 8);

    private static double Gaussian(Random random)
        => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
