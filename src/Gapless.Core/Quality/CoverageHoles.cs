using Gapless.Core.Model;

namespace Gapless.Core.Quality;

/// <summary>
/// Finds the bars absent inside coverage: the vendor was asked and answered, and had nothing there (an outage, no
/// trades). Every bar slot of the timeframe counts as expected (the 24/7 calendar).
/// </summary>
public static class CoverageHoles
{
    /// <param name="coverage">The series' coverage.</param>
    /// <param name="openTimes">Stored open times, ascending.</param>
    /// <param name="timeframe">The series' timeframe.</param>
    /// <returns>The holes, as ranges of missing bar slots.</returns>
    public static RangeSet Find(RangeSet coverage, ReadOnlySpan<long> openTimes, Timeframe timeframe)
    {
        ArgumentNullException.ThrowIfNull(coverage);
        ArgumentNullException.ThrowIfNull(timeframe);
        var holes = new List<TimeRange>();
        var i = 0;
        foreach (var range in coverage)
        {
            var aligned = timeframe.AlignInward(range);
            while (i < openTimes.Length && openTimes[i] < aligned.FromMs)
            {
                i++;
            }

            var expected = aligned.FromMs;
            while (i < openTimes.Length && openTimes[i] < aligned.ToMs)
            {
                if (openTimes[i] > expected)
                {
                    holes.Add(new TimeRange(expected, openTimes[i]));
                }

                expected = Math.Max(expected, timeframe.Add(timeframe.Floor(openTimes[i]), 1));
                i++;
            }

            if (expected < aligned.ToMs)
            {
                holes.Add(new TimeRange(expected, aligned.ToMs));
            }
        }

        return RangeSet.Of(holes);
    }
}
