using Gapless.Backtesting.Reporting;

namespace Gapless.Backtesting.Tests.Reporting;

public sealed class DownsamplerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(42)]
    public void MinMaxPerBucket_LongSeries_KeepsFirstLastAndGlobalExtremes(int seed)
    {
        var equity = ReportSamples.RandomWalk(100_000, seed);
        var times = (long[])equity.TimesMs;
        var values = (double[])equity.Values;

        var picked = Downsampler.MinMaxPerBucket(times, values, 836);

        Assert.Equal(0, picked[0]);
        Assert.Equal(values.Length - 1, picked[^1]);
        Assert.Contains(Array.IndexOf(values, values.Min()), picked);
        Assert.Contains(Array.IndexOf(values, values.Max()), picked);
        Assert.True(picked.Length <= 4 * 836, $"{picked.Length} points");
        Assert.True(picked.Length > 2 * 836, $"{picked.Length} points");
        Assert.Equal(picked.Order(), picked);
        Assert.Equal(picked.Length, picked.Distinct().Count());
    }

    [Fact]
    public void MinMaxPerBucket_EveryBucket_KeepsItsOwnMinAndMax()
    {
        // Irregular times: buckets are by time, not by index.
        var random = new Random(5);
        var times = new long[20_000];
        var values = new double[times.Length];
        for (var i = 1; i < times.Length; i++)
        {
            times[i] = times[i - 1] + 1 + random.Next(100);
            values[i] = random.NextDouble();
        }

        const int buckets = 50;
        var picked = Downsampler.MinMaxPerBucket(times, values, buckets).ToHashSet();

        var span = (double)(times[^1] - times[0]);
        foreach (var bucket in Enumerable.Range(0, times.Length).GroupBy(i => (int)Math.Min(buckets - 1, (times[i] - times[0]) / span * buckets)))
        {
            var indices = bucket.ToList();
            Assert.Contains(indices.MinBy(i => values[i]), picked);
            Assert.Contains(indices.MaxBy(i => values[i]), picked);
            Assert.Contains(indices[0], picked);
            Assert.Contains(indices[^1], picked);
        }
    }

    [Fact]
    public void MinMaxPerBucket_ShortSeries_KeepsEveryPoint()
    {
        long[] times = [1, 2, 3, 4, 5, 6, 7];
        double[] values = [5, 1, 9, 2, 8, 3, 7];

        Assert.Equal([0, 1, 2, 3, 4, 5, 6], Downsampler.MinMaxPerBucket(times, values, 2));
    }

    [Fact]
    public void MinMaxPerBucket_SameInput_SamePoints()
    {
        var equity = ReportSamples.RandomWalk(50_000, 9);
        var times = (long[])equity.TimesMs;
        var values = (double[])equity.Values;

        Assert.Equal(Downsampler.MinMaxPerBucket(times, values, 300), Downsampler.MinMaxPerBucket(times, values, 300));
    }
}
