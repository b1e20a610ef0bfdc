namespace Gapless.Backtesting.Reporting;

/// <summary>
/// Picks the points of a long series worth drawing: the series is cut into equal time buckets (one per pixel column
/// of the chart) and each bucket keeps its first, lowest, highest and last point, in time order (the M4 method).
/// Drawn as a line, that is indistinguishable from drawing every point at that width, and it always keeps the first
/// and the last point and the global minimum and maximum. Deterministic: the same input picks the same points.
/// </summary>
internal static class Downsampler
{
    /// <summary>Indices of the points to draw, ascending. Every index when there are no more than 4 per bucket.</summary>
    public static int[] MinMaxPerBucket(ReadOnlySpan<long> times, ReadOnlySpan<double> values, int buckets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        if (times.Length != values.Length)
        {
            throw new ArgumentException("times and values must be as many", nameof(values));
        }

        var n = times.Length;
        if (n <= 4L * buckets)
        {
            var all = new int[n];
            for (var i = 0; i < n; i++)
            {
                all[i] = i;
            }

            return all;
        }

        var t0 = times[0];
        var span = (double)(times[n - 1] - t0);
        var kept = new List<int>(4 * buckets);
        var bucket = -1;
        int first = 0, last = 0, min = 0, max = 0;
        for (var i = 0; i < n; i++)
        {
            var b = span <= 0 ? 0 : (int)Math.Min(buckets - 1, (times[i] - t0) / span * buckets);
            if (b != bucket)
            {
                if (bucket >= 0)
                {
                    Flush(kept, first, min, max, last);
                }

                bucket = b;
                first = last = min = max = i;
                continue;
            }

            last = i;
            // Strict comparisons keep the earliest extreme; NaN never wins.
            if (values[i] < values[min])
            {
                min = i;
            }

            if (values[i] > values[max])
            {
                max = i;
            }
        }

        Flush(kept, first, min, max, last);
        return [.. kept];
    }

    private static void Flush(List<int> kept, int first, int min, int max, int last)
    {
        kept.Add(first);
        var (lo, hi) = min < max ? (min, max) : (max, min);
        if (lo != first)
        {
            kept.Add(lo);
        }

        if (hi != lo && hi != first)
        {
            kept.Add(hi);
        }

        if (last != hi && last != lo && last != first)
        {
            kept.Add(last);
        }
    }
}
