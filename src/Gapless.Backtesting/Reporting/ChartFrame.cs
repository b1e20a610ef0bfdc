using System.Globalization;
using System.Text;

namespace Gapless.Backtesting.Reporting;

/// <summary>
/// The geometry of one chart in SVG user units (the SVG scales to the page's width): a plot area inside margins for
/// the axis labels, and the maps from time and value to x and y. Also writes the parts both charts share: gridlines,
/// axis labels and the hover columns.
/// </summary>
internal sealed class ChartFrame
{
    public const double Width = 1000;
    public const double Left = 74;
    public const double Right = 96;
    public const double Top = 16;
    public const double Bottom = 28;

    /// <summary>Columns of the chart that show a tooltip with the values under them.</summary>
    public const int HoverColumns = 120;

    public ChartFrame(double height, long t0, long t1, double min, double max)
    {
        Height = height;
        T0 = t0;
        T1 = t1;
        Min = min;
        Max = max;
    }

    public double Height { get; }

    public long T0 { get; }

    public long T1 { get; }

    public double Min { get; }

    public double Max { get; }

    public static double PlotWidth => Width - Left - Right;

    public double PlotHeight => Height - Top - Bottom;

    public double PlotBottom => Height - Bottom;

    /// <summary>Buckets for downsampling: one per unit of plot width (a pixel at 1000 px wide).</summary>
    public static int Buckets => (int)PlotWidth;

    public double X(long timeMs) => T1 == T0 ? Left + (PlotWidth / 2) : Left + ((timeMs - T0) * PlotWidth / (T1 - T0));

    public double Y(double value) => Max == Min ? Top + (PlotHeight / 2) : Top + ((Max - value) * PlotHeight / (Max - Min));

    /// <summary>A polyline through the picked points, as SVG path data starting with M.</summary>
    public string PathData(long[] times, double[] values, int[] picked, Func<double, double> transform)
    {
        var sb = new StringBuilder(picked.Length * 12);
        string? previous = null;
        foreach (var i in picked)
        {
            var y = Y(transform(values[i]));
            if (!double.IsFinite(y))
            {
                previous = null; // no value here: the line breaks and starts again at the next one
                continue;
            }

            var point = HtmlText.Coord(X(times[i])) + "," + HtmlText.Coord(y);
            if (point == previous)
            {
                continue; // same spot at this resolution: nothing to draw
            }

            sb.Append(previous is null ? 'M' : 'L').Append(point);
            previous = point;
        }

        return sb.ToString();
    }

    public void WriteOpen(TextWriter w, string id, string title)
    {
        w.Write($"<svg id=\"{id}\" class=\"chart\" viewBox=\"0 0 {HtmlText.Coord(Width)} {HtmlText.Coord(Height)}\" role=\"img\" aria-label=\"{HtmlText.Escape(title)}\">");
        w.Write($"<title>{HtmlText.Escape(title)}</title>\n");
    }

    /// <summary>Horizontal gridlines with value labels, vertical gridlines with date labels, and the plot's frame.</summary>
    public void WriteAxes(TextWriter w, Func<double, string> valueLabel, int valueTicks)
    {
        var step = ChartTicks.NiceStep(Max - Min, valueTicks);
        var ys = ChartTicks.ValueTicks(Min, Max, step);
        var times = ChartTicks.TimeTicks(T0, T1, 8);
        var grid = new StringBuilder();
        foreach (var v in ys)
        {
            grid.Append('M').Append(HtmlText.Coord(Left)).Append(',').Append(HtmlText.Coord(Y(v))).Append('H').Append(HtmlText.Coord(Left + PlotWidth));
        }

        foreach (var (t, _) in times)
        {
            grid.Append('M').Append(HtmlText.Coord(X(t))).Append(',').Append(HtmlText.Coord(Top)).Append('V').Append(HtmlText.Coord(PlotBottom));
        }

        w.Write($"<path class=\"grid\" d=\"{grid}\"/>\n");
        w.Write($"<rect class=\"frame\" x=\"{HtmlText.Coord(Left)}\" y=\"{HtmlText.Coord(Top)}\" width=\"{HtmlText.Coord(PlotWidth)}\" height=\"{HtmlText.Coord(PlotHeight)}\"/>\n");
        w.Write("<g class=\"ylab\">");
        foreach (var v in ys)
        {
            w.Write($"<text x=\"{HtmlText.Coord(Left - 6)}\" y=\"{HtmlText.Coord(Y(v) + 4)}\">{HtmlText.Escape(valueLabel(v))}</text>");
        }

        w.Write("</g>\n<g class=\"xlab\">");
        foreach (var (t, label) in times)
        {
            w.Write($"<text x=\"{HtmlText.Coord(X(t))}\" y=\"{HtmlText.Coord(PlotBottom + 18)}\">{HtmlText.Escape(label)}</text>");
        }

        w.Write("</g>\n");
    }

    /// <summary>
    /// Transparent columns over the plot, each with a tooltip (an SVG title) describing the points under it; they
    /// tint on hover. Needs no script.
    /// </summary>
    public void WriteHoverColumns(TextWriter w, long[] times, Func<int, int, string> describe)
    {
        var n = times.Length;
        if (n == 0)
        {
            return;
        }

        var columns = Math.Min(HoverColumns, n);
        var width = PlotWidth / columns;
        w.Write("<g class=\"hover\">");
        var start = 0;
        for (var c = 0; c < columns && start < n; c++)
        {
            // Points whose time falls in this column's share of the time axis (the last column takes the end).
            var end = n;
            if (T1 != T0 && c < columns - 1)
            {
                var boundary = T0 + ((T1 - T0) * (double)(c + 1) / columns);
                end = start;
                while (end < n && times[end] < boundary)
                {
                    end++;
                }
            }

            if (end > start)
            {
                var x = Left + (c * width);
                w.Write($"<rect x=\"{HtmlText.Coord(x)}\" y=\"{HtmlText.Coord(Top)}\" width=\"{HtmlText.Coord(width)}\" height=\"{HtmlText.Coord(PlotHeight)}\"><title>{HtmlText.Escape(describe(start, end - 1))}</title></rect>");
                start = end;
            }
        }

        w.Write("</g>\n");
    }

    /// <summary>A label for an axis value with the decimals its tick step needs.</summary>
    public static Func<double, string> NumberLabel(double min, double max, int ticks, string suffix = "")
    {
        var decimals = ChartTicks.DecimalsFor(ChartTicks.NiceStep(max - min, ticks));
        var format = decimals == 0 ? "#,##0" : "#,##0." + new string('0', decimals);
        return v =>
        {
            var text = Math.Abs(v).ToString(format, CultureInfo.InvariantCulture);
            return (v < 0 && text.Any(ch => ch is >= '1' and <= '9') ? "\u2212" : string.Empty) + text + suffix;
        };
    }
}
