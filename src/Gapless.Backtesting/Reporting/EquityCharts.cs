namespace Gapless.Backtesting.Reporting;

/// <summary>
/// The two charts of the report as inline SVG: the equity curve (with the start level and the largest drawdown
/// shaded) and the drawdown below the running peak ("underwater"). Both are downsampled for drawing with
/// <see cref="Downsampler"/>; the labels and tooltips are computed from every point.
/// </summary>
internal static class EquityCharts
{
    private const double EquityHeight = 340;
    private const double DrawdownHeight = 200;
    private const int ValueTicks = 6;

    public static void WriteEquity(TextWriter w, EquityColumns eq)
    {
        if (eq.Count == 0)
        {
            w.Write("<p class=\"empty\">No equity curve: the run replayed no bars.</p>\n");
            return;
        }

        var times = eq.Times;
        var values = eq.Equity;
        var (min, minAt, max, maxAt) = Extremes(values);
        var pad = max > min ? (max - min) * 0.06 : Math.Max(Math.Abs(max) * 0.01, 1);
        var frame = new ChartFrame(EquityHeight, times[0], times[^1], min - pad, max + pad);
        frame.WriteOpen(w, "equity-chart", $"Equity from {HtmlText.Time(times[0])} to {HtmlText.Time(times[^1])} UTC");
        frame.WriteAxes(w, ChartFrame.NumberLabel(frame.Min, frame.Max, ValueTicks), ValueTicks);
        WriteMaxDrawdownBand(w, frame, eq);

        if (double.IsFinite(values[0]))
        {
            var startY = HtmlText.Coord(frame.Y(values[0]));
            w.Write($"<path class=\"baseline\" d=\"M{HtmlText.Coord(ChartFrame.Left)},{startY}H{HtmlText.Coord(ChartFrame.Left + ChartFrame.PlotWidth)}\"/>");
            w.Write($"<text class=\"note\" x=\"{HtmlText.Coord(ChartFrame.Left + 4)}\" y=\"{HtmlText.Coord(frame.Y(values[0]) - 4)}\">start {HtmlText.Money(values[0])}</text>\n");
        }

        var picked = Downsampler.MinMaxPerBucket(times, values, ChartFrame.Buckets);
        w.Write($"<path id=\"equity-path\" class=\"eq-line\" data-points=\"{eq.Count}\" data-drawn=\"{picked.Length}\" d=\"{frame.PathData(times, values, picked, v => v)}\"/>\n");

        WriteMarker(w, frame, times[maxAt], values[maxAt], "high", $"High {HtmlText.Money(max)} at {HtmlText.Time(times[maxAt])} UTC");
        WriteMarker(w, frame, times[minAt], values[minAt], "low", $"Low {HtmlText.Money(min)} at {HtmlText.Time(times[minAt])} UTC");
        WriteMarker(w, frame, times[^1], values[^1], "end", $"End {HtmlText.Money(values[^1])} at {HtmlText.Time(times[^1])} UTC");
        WriteEndLabel(w, frame, values[^1], HtmlText.Money(values[^1]));

        frame.WriteHoverColumns(w, times, (first, last) => DescribeEquity(eq, first, last));
        w.Write("</svg>\n");
    }

    public static void WriteDrawdown(TextWriter w, EquityColumns eq)
    {
        if (eq.Count == 0)
        {
            return;
        }

        var times = eq.Times;
        var dd = eq.Drawdown;
        var (_, _, worst, worstAt) = Extremes(dd);
        var depth = worst > 0 ? worst * 100 * 1.08 : 1;
        var frame = new ChartFrame(DrawdownHeight, times[0], times[^1], -depth, 0);
        frame.WriteOpen(w, "drawdown-chart", $"Drawdown below the running peak from {HtmlText.Time(times[0])} to {HtmlText.Time(times[^1])} UTC");
        frame.WriteAxes(w, ChartFrame.NumberLabel(frame.Min, frame.Max, 4, "\u202F%"), 4);

        var picked = Downsampler.MinMaxPerBucket(times, dd, ChartFrame.Buckets);
        var line = frame.PathData(times, dd, picked, v => -v * 100);
        var zero = HtmlText.Coord(frame.Y(0));
        var area = line.Length == 0 ? string.Empty : $"M{HtmlText.Coord(frame.X(times[0]))},{zero}L{line[1..]}L{HtmlText.Coord(frame.X(times[^1]))},{zero}Z";
        w.Write($"<path id=\"drawdown-path\" class=\"dd-area\" data-points=\"{eq.Count}\" data-drawn=\"{picked.Length}\" d=\"{area}\"/>\n");

        if (worst > 0)
        {
            var label = $"\u2212{HtmlText.Percent(worst)} on {HtmlText.Time(times[worstAt])[..10]}";
            WriteMarker(w, frame, times[worstAt], -worst * 100, "trough", $"Largest drawdown {label}");
            // Beside the trough, on the side with more room, a little above it.
            var x = frame.X(times[worstAt]);
            var right = x < ChartFrame.Left + (ChartFrame.PlotWidth * 0.6);
            var y = Math.Max(frame.Y(-worst * 100) - 6, ChartFrame.Top + 12);
            w.Write($"<text class=\"value-label\" text-anchor=\"{(right ? "start" : "end")}\" x=\"{HtmlText.Coord(x + (right ? 8 : -8))}\" y=\"{HtmlText.Coord(y)}\">{HtmlText.Escape(label)}</text>\n");
        }

        else
        {
            w.Write($"<text class=\"note\" x=\"{HtmlText.Coord(ChartFrame.Left + 6)}\" y=\"{HtmlText.Coord(frame.Y(0) + 16)}\">no drawdown: equity never fell below a previous peak</text>\n");
        }

        WriteEndLabel(w, frame, -dd[^1] * 100, dd[^1] > 0 ? "\u2212" + HtmlText.Percent(dd[^1]) : "0\u202F%");
        frame.WriteHoverColumns(w, times, (first, last) => DescribeDrawdown(eq, first, last));
        w.Write("</svg>\n");
    }

    /// <summary>The lowest and highest finite values and where they first occur (0 and 0 when none is finite).</summary>
    internal static (double Min, int MinAt, double Max, int MaxAt) Extremes(double[] values)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        int minAt = 0, maxAt = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (!double.IsFinite(v))
            {
                continue;
            }

            if (v < min)
            {
                (min, minAt) = (v, i);
            }

            if (v > max)
            {
                (max, maxAt) = (v, i);
            }
        }

        return double.IsFinite(min) ? (min, minAt, max, maxAt) : (0, 0, 0, 0);
    }

    /// <summary>Shades the largest fall on the equity chart: from its peak to its recovery (or the end).</summary>
    private static void WriteMaxDrawdownBand(TextWriter w, ChartFrame frame, EquityColumns eq)
    {
        var (_, _, worst, trough) = Extremes(eq.Drawdown);
        if (worst <= 0)
        {
            return;
        }

        var peak = trough;
        while (peak > 0 && eq.Drawdown[peak] > 0)
        {
            peak--;
        }

        var recovery = trough;
        while (recovery < eq.Count - 1 && eq.Drawdown[recovery] > 0)
        {
            recovery++;
        }

        var recovered = eq.Drawdown[recovery] <= 0;
        var x0 = frame.X(eq.Times[peak]);
        var x1 = Math.Max(frame.X(eq.Times[recovery]), x0 + 1);
        var title = $"Largest drawdown \u2212{HtmlText.Percent(worst)}: peak {HtmlText.Money(eq.Equity[peak])} at {HtmlText.Time(eq.Times[peak])}, "
            + $"trough {HtmlText.Money(eq.Equity[trough])} at {HtmlText.Time(eq.Times[trough])}, "
            + (recovered ? $"recovered at {HtmlText.Time(eq.Times[recovery])} UTC" : "not recovered by the end");
        w.Write($"<rect class=\"dd-band\" x=\"{HtmlText.Coord(x0)}\" y=\"{HtmlText.Coord(ChartFrame.Top)}\" width=\"{HtmlText.Coord(x1 - x0)}\" height=\"{HtmlText.Coord(frame.PlotHeight)}\"><title>{HtmlText.Escape(title)}</title></rect>\n");
    }

    private static void WriteMarker(TextWriter w, ChartFrame frame, long time, double value, string kind, string title)
    {
        if (double.IsFinite(frame.Y(value)))
        {
            w.Write($"<circle class=\"marker {kind}\" cx=\"{HtmlText.Coord(frame.X(time))}\" cy=\"{HtmlText.Coord(frame.Y(value))}\" r=\"3.5\"><title>{HtmlText.Escape(title)}</title></circle>\n");
        }
    }

    private static void WriteEndLabel(TextWriter w, ChartFrame frame, double value, string text)
    {
        if (double.IsFinite(frame.Y(value)))
        {
            w.Write($"<text class=\"end-label\" x=\"{HtmlText.Coord(ChartFrame.Left + ChartFrame.PlotWidth + 6)}\" y=\"{HtmlText.Coord(frame.Y(value) + 4)}\">{HtmlText.Escape(text)}</text>\n");
        }
    }

    private static string DescribeEquity(EquityColumns eq, int first, int last)
    {
        var (lo, _, hi, _) = Extremes(eq.Equity[first..(last + 1)]);
        return $"{Span(eq, first, last)}\nequity {HtmlText.Money(eq.Equity[last])} (low {HtmlText.Money(lo)}, high {HtmlText.Money(hi)})";
    }

    private static string DescribeDrawdown(EquityColumns eq, int first, int last)
    {
        var (_, _, deepest, _) = Extremes(eq.Drawdown[first..(last + 1)]);
        return $"{Span(eq, first, last)}\ndrawdown {HtmlText.Percent(-eq.Drawdown[last])} (deepest {HtmlText.Percent(-deepest)})";
    }

    private static string Span(EquityColumns eq, int first, int last)
        => first == last
            ? HtmlText.Time(eq.Times[first]) + " UTC"
            : HtmlText.Range(DateTimeOffset.FromUnixTimeMilliseconds(eq.Times[first]), DateTimeOffset.FromUnixTimeMilliseconds(eq.Times[last]));
}
