using System.Globalization;
using Gapless.Core.Model;

namespace Gapless.Providers.Csv;

/// <summary>
/// Tells from the first rows of a file whether its bars can be bars of the timeframe asked for. Two bars closer than
/// one bar apart cannot (a 1m file imported as 1h). Rows evenly spaced at a whole multiple of the timeframe — at least
/// nine steps in ten exactly that far apart, over ten steps or more — are bars of a longer timeframe (a 1h file
/// imported as 1m). Irregular gaps are not judged: a thinly traded market simply has no bar for some slots.
/// </summary>
internal static class SpacingCheck
{
    private const long Day = 86_400_000;

    /// <summary>Why the rows cannot be <paramref name="timeframe"/> bars, or null when they can.</summary>
    /// <param name="openTimes">Open times of the file's first rows, ascending.</param>
    public static string? Problem(IReadOnlyList<long> openTimes, Timeframe timeframe)
    {
        var steps = new List<long>();
        for (var i = 1; i < openTimes.Count; i++)
        {
            if (openTimes[i] > openTimes[i - 1])
            {
                steps.Add(openTimes[i] - openTimes[i - 1]);
            }
        }

        if (steps.Count == 0)
        {
            return null;
        }

        var min = steps.Min();
        var length = timeframe.IsFixedLength ? timeframe.NominalLengthMs : 28 * Day;
        if (min < length)
        {
            return $"rows are {Describe(min)} apart, closer than {timeframe.Code} bars can be; {Advice(min)}";
        }

        if (timeframe.IsFixedLength && min % length == 0 && min / length >= 2 && steps.Count >= 10
            && steps.Count(s => s == min) * 10L >= steps.Count * 9L)
        {
            return $"rows are {Describe(min)} apart, so they are not {timeframe.Code} bars; {Advice(min)}";
        }

        return null;
    }

    private static string Advice(long step)
        => Timeframe.All.FirstOrDefault(t => t.IsFixedLength && t.NominalLengthMs == step) is { } match
            ? $"import it with timeframe {match.Code}"
            : $"Gapless has no {Describe(step)} timeframe";

    /// <summary>A step as a person writes it: <c>1s</c>, <c>1m</c>, <c>90s</c>, <c>4h</c>.</summary>
    public static string Describe(long ms)
    {
        string Of(long unit, string suffix) => (ms / unit).ToString(CultureInfo.InvariantCulture) + suffix;
        return ms % Day == 0 ? Of(Day, "d")
            : ms % 3_600_000 == 0 ? Of(3_600_000, "h")
            : ms % 60_000 == 0 ? Of(60_000, "m")
            : ms % 1000 == 0 ? Of(1000, "s")
            : Of(1, "ms");
    }
}
