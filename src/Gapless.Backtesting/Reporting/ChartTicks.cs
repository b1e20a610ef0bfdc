using System.Globalization;

namespace Gapless.Backtesting.Reporting;

/// <summary>Where a chart's axes put their ticks: round values, and calendar-aligned UTC times.</summary>
internal static class ChartTicks
{
    private const long Minute = 60_000;
    private const long Hour = 60 * Minute;
    private const long Day = 24 * Hour;

    private static readonly long[] FixedSteps =
    [
        Minute, 5 * Minute, 15 * Minute, 30 * Minute, Hour, 3 * Hour, 6 * Hour, 12 * Hour, Day, 2 * Day, 7 * Day, 14 * Day,
    ];

    private static readonly int[] MonthSteps = [1, 2, 3, 6, 12, 24, 60, 120, 600];

    /// <summary>A round step (1, 2 or 5 × 10ⁿ) giving about <paramref name="target"/> intervals over the span.</summary>
    public static double NiceStep(double span, int target)
    {
        if (!(span > 0) || double.IsInfinity(span))
        {
            return 1;
        }

        var raw = span / target;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var normalized = raw / magnitude;
        var nice = normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    /// <summary>The multiples of <paramref name="step"/> inside [min, max].</summary>
    public static List<double> ValueTicks(double min, double max, double step)
    {
        var ticks = new List<double>();
        var start = Math.Ceiling(min / step - 1e-9);
        for (var k = start; k * step <= max + step * 1e-9 && ticks.Count < 50; k++)
        {
            ticks.Add(k * step);
        }

        return ticks;
    }

    /// <summary>Decimals needed to tell ticks <paramref name="step"/> apart.</summary>
    public static int DecimalsFor(double step) => step >= 1 ? 0 : Math.Min(8, (int)Math.Ceiling(-Math.Log10(step) - 1e-9));

    /// <summary>Calendar-aligned ticks (epoch ms UTC) inside [from, to], at most <paramref name="maxTicks"/>, with their labels.</summary>
    public static List<(long TimeMs, string Label)> TimeTicks(long from, long to, int maxTicks)
    {
        var span = Math.Max(1, to - from);
        foreach (var step in FixedSteps)
        {
            if (span / step <= maxTicks)
            {
                var format = step >= Day ? "MMM d" : span > Day ? "MMM d HH:mm" : "HH:mm";
                if (step >= Day && span > 300 * Day)
                {
                    format = "yyyy-MM-dd";
                }

                // Weekly ticks fall on Mondays (the epoch was a Thursday); shorter steps on multiples of themselves.
                var origin = step % (7 * Day) == 0 ? 4 * Day : 0;
                var ticks = new List<(long, string)>();
                for (var t = (CeilDiv(from - origin, step) * step) + origin; t <= to; t += step)
                {
                    ticks.Add((t, Label(t, format)));
                }

                return ticks;
            }
        }

        foreach (var months in MonthSteps)
        {
            if (span / (30.44 * Day * months) <= maxTicks)
            {
                var format = months >= 12 ? "yyyy" : "MMM yyyy";
                var ticks = new List<(long, string)>();
                var start = DateTimeOffset.FromUnixTimeMilliseconds(from).UtcDateTime;
                var index = (start.Year * 12) + start.Month - 1;
                var month = new DateTime(start.Year, start.Month, 1, 0, 0, 0, DateTimeKind.Utc);
                if (month < start)
                {
                    month = month.AddMonths(1);
                    index++;
                }

                var offset = ((months - (index % months)) % months);
                for (var m = month.AddMonths(offset); ; m = m.AddMonths(months))
                {
                    var t = new DateTimeOffset(m).ToUnixTimeMilliseconds();
                    if (t > to)
                    {
                        break;
                    }

                    ticks.Add((t, m.ToString(format, CultureInfo.InvariantCulture)));
                }

                return ticks;
            }
        }

        return [(from, Label(from, "yyyy")), (to, Label(to, "yyyy"))];
    }

    private static string Label(long timeMs, string format)
        => DateTimeOffset.FromUnixTimeMilliseconds(timeMs).UtcDateTime.ToString(format, CultureInfo.InvariantCulture);

    private static long CeilDiv(long value, long step) => value >= 0 ? (value + step - 1) / step : -(-value / step);
}
