using System.Globalization;
using System.Text;

namespace Gapless.Backtesting.Reporting;

/// <summary>Escaping and invariant formatting for the report. Nothing here depends on the machine's culture.</summary>
internal static class HtmlText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// Text safe in element content and in quoted attributes: <c>&amp; &lt; &gt; " '</c> become references, and
    /// characters XML forbids (most control characters, lone surrogates) become U+FFFD, so the page stays well-formed
    /// whatever a symbol or parameter contains.
    /// </summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (!NeedsEscaping(text))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        sb.Append(c).Append(text[++i]);
                    }
                    else
                    {
                        sb.Append(IsXmlChar(c) ? c : '\uFFFD');
                    }

                    break;
            }
        }

        return sb.ToString();
    }

    private static bool NeedsEscaping(string text)
    {
        foreach (var c in text)
        {
            if (c is '&' or '<' or '>' or '"' or '\'' || !IsXmlChar(c) || char.IsSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsXmlChar(char c)
        => c is '\t' or '\n' or '\r' || (c >= ' ' && c < '\uD800') || (c > '\uDFFF' && c < '\uFFFE');

    /// <summary>An SVG coordinate: one decimal at most, <c>.</c> as separator.</summary>
    public static string Coord(double value) => Math.Round(value, 1).ToString("0.#", Invariant);

    /// <summary>Money and equity: thousands separators, two decimals, a real minus sign.</summary>
    public static string Money(double value) => Signed(value, "#,##0.00");

    /// <summary>Prices and quantities: up to eight decimals, trailing zeros dropped.</summary>
    public static string Price(double value) => Signed(value, "#,##0.########");

    /// <summary>A fraction as a percent with a sign when asked: 0.0123 is <c>+1.23 %</c>.</summary>
    public static string Percent(double fraction, bool withSign = false, int decimals = 2)
    {
        if (!double.IsFinite(fraction))
        {
            return Signed(fraction, "0");
        }

        var text = Signed(fraction * 100, decimals == 0 ? "#,##0" : "#,##0." + new string('0', decimals));
        return (withSign && fraction > 0 ? "+" : string.Empty) + text + "\u202F%";
    }

    /// <summary>A count: thousands separators.</summary>
    public static string Count(long value) => Signed(value, "#,##0");

    /// <summary>A number for a <c>data-raw</c> attribute: round-trippable, invariant.</summary>
    public static string Raw(double value) => value.ToString("R", Invariant);

    private static string Signed(double value, string format)
    {
        if (double.IsNaN(value))
        {
            return "n/a";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "\u221E" : "\u2212\u221E";
        }

        var text = Math.Abs(value).ToString(format, Invariant);
        // A value that rounds to zero shows without a sign (never "−0.00").
        return value < 0 && text.Any(ch => ch is >= '1' and <= '9') ? "\u2212" + text : text;
    }

    /// <summary>A UTC instant, to the minute (seconds shown only when not zero).</summary>
    public static string Time(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        return utc.ToString(utc.Second != 0 || utc.Millisecond != 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm", Invariant);
    }

    /// <summary>A UTC instant from epoch milliseconds.</summary>
    public static string Time(long epochMs) => Time(DateTimeOffset.FromUnixTimeMilliseconds(epochMs));

    /// <summary>A half-open range, with the day left out of the end when it is the same day.</summary>
    public static string Range(DateTimeOffset from, DateTimeOffset to)
    {
        var start = Time(from);
        var end = Time(to);
        if (from.UtcDateTime.Date == to.UtcDateTime.Date && end.Length > 11)
        {
            end = end[11..];
        }

        return start + " \u2192 " + end + " UTC";
    }
}
