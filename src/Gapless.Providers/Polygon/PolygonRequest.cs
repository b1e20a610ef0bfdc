using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Gapless.Core.Model;

namespace Gapless.Providers.Polygon;

/// <summary>
/// Builds aggregates requests: the vendor's ticker spelling, the split of a chunk into requests that never exceed
/// <see cref="MaxBaseAggregates"/>, and each request's <c>from</c>/<c>to</c> in the vendor's terms. Polygon snaps
/// <c>from</c> back to the start of its window and <c>to</c> forward to the end of the window holding it (its
/// knowledge base: "we snap the 'to' parameter to the end"), so <c>to</c> is inclusive of the whole last bar: it is
/// sent as the last bar's own start. Multi-minute and multi-hour buckets are counted from the snapped <c>from</c>,
/// so a request starting on the Gapless grid gets bars on the Gapless grid.
/// </summary>
internal static partial class PolygonRequest
{
    /// <summary>The most base aggregates (minute or daily bars) one request may use: the <c>limit</c> sent, Polygon's maximum.</summary>
    public const int MaxBaseAggregates = 50_000;

    /// <summary>
    /// <paramref name="chunk"/> cut into consecutive bar-aligned parts, each spanning at most
    /// <see cref="MaxBaseAggregates"/> base aggregates of wall-clock time (a minute of a 1h bar counts even when nothing
    /// traded in it): Polygon silently stops at <c>limit</c> base aggregates, so a request that could reach it would lose
    /// bars. 1m: 50,000 bars per request; 1h: 833; 1d: all of them.
    /// </summary>
    public static IReadOnlyList<TimeRange> Split(TimeRange chunk, Timeframe timeframe)
    {
        ArgumentNullException.ThrowIfNull(timeframe);
        var aligned = timeframe.AlignOutward(chunk);
        var barsPerRequest = Math.Max(1, MaxBaseAggregates * PolygonTimespan.BaseLengthMs(timeframe) / timeframe.NominalLengthMs);
        var parts = new List<TimeRange>();
        for (var from = aligned.FromMs; from < aligned.ToMs;)
        {
            var to = Math.Min(timeframe.Add(from, barsPerRequest), aligned.ToMs);
            parts.Add(new TimeRange(from, to));
            from = to;
        }

        return parts;
    }

    /// <summary>
    /// <c>/v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/{from}/{to}?adjusted=…&amp;sort=asc&amp;limit=50000</c> for
    /// the bars opening in the bar-aligned <paramref name="part"/>, with <c>from</c>/<c>to</c> in epoch ms. No key:
    /// the client adds it when sending.
    /// </summary>
    public static string Aggs(string ticker, Timeframe timeframe, TimeRange part, bool adjusted)
    {
        var (multiplier, timespan) = PolygonTimespan.Of(timeframe);
        var (from, to) = Bounds(timeframe, part);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"/v2/aggs/ticker/{EscapeSegment(VendorTicker(ticker))}/range/{multiplier}/{timespan}/{from}/{to}?adjusted={(adjusted ? "true" : "false")}&sort=asc&limit={MaxBaseAggregates}");
    }

    /// <summary>
    /// The vendor's <c>from</c> and <c>to</c> for the bars opening in <paramref name="part"/>: the start of the first
    /// bar's window and the start of the last bar's window. Intraday windows start where Gapless's bars do; daily
    /// and monthly ones at New York midnight of the bar's date; weekly ones at New York midnight of the Sunday before
    /// the Gapless week's Monday.
    /// </summary>
    public static (long From, long To) Bounds(Timeframe timeframe, TimeRange part)
    {
        var first = timeframe.Floor(part.FromMs);
        var last = timeframe.Floor(Math.Max(part.FromMs, part.ToMs - 1));
        if (!PolygonTimespan.IsDayBased(timeframe))
        {
            return (first, last);
        }

        var back = timeframe == Timeframe.W1 ? -1 : 0;
        return (NewYorkTime.MidnightOf(NewYorkTime.UtcDateOf(first).PlusDays(back)),
            NewYorkTime.MidnightOf(NewYorkTime.UtcDateOf(last).PlusDays(back)));
    }

    /// <summary>
    /// The ticker as Polygon spells it. An option in OCC form with its padded root (<c>SPY   250117C00500000</c>) becomes
    /// Polygon's <c>O:SPY250117C00500000</c>; anything else (stocks, <c>O:</c>, <c>I:</c>, <c>X:</c> tickers) is sent as is.
    /// </summary>
    public static string VendorTicker(string symbol)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        var occ = OccSymbol().Match(symbol);
        return occ.Success ? $"O:{occ.Groups[1].Value}{occ.Groups[2].Value}" : symbol;
    }

    /// <summary>
    /// Percent-encodes what may not stand in a path segment (a '/' above all), keeping what may: letters, digits and
    /// <c>-._~:@!$&amp;'()*+,;=</c>, so <c>O:SPY…</c> and <c>BRK.B</c> travel as Polygon's own clients send them.
    /// </summary>
    public static string EscapeSegment(string segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        var text = new StringBuilder(segment.Length);
        foreach (var b in Encoding.UTF8.GetBytes(segment))
        {
            var c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || "-._~:@!$&'()*+,;=".Contains(c, StringComparison.Ordinal)))
            {
                text.Append(c);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    // OCC: root padded to 6 with spaces, yymmdd, C or P, strike × 1000 in 8 digits (21 characters in all).
    [GeneratedRegex(@"^([A-Z0-9.]{1,6}) +(\d{6}[CP]\d{8})$", RegexOptions.CultureInvariant)]
    private static partial Regex OccSymbol();
}
