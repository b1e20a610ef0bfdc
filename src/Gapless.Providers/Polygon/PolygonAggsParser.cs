using Gapless.Core.Model;
using Gapless.Providers.Polygon.Models;

namespace Gapless.Providers.Polygon;

/// <summary>One page of an aggregates answer, in Gapless terms.</summary>
/// <param name="Bars">The page's bars in the vendor's order, open times normalised.</param>
/// <param name="NextUrl">The vendor's <c>next_url</c> as sent (without the key), or null on the last page.</param>
/// <param name="Status">The answer's <c>status</c>: <c>OK</c> or <c>DELAYED</c> for data.</param>
internal sealed record PolygonPage(IReadOnlyList<Bar> Bars, string? NextUrl, string? Status)
{
    /// <summary>True when <see cref="Status"/> says the answer carries data (or says nothing).</summary>
    public bool IsData => Status is null or "OK" or "DELAYED";
}

/// <summary>
/// Turns Polygon aggregates into <see cref="Bar"/>s: the one place Polygon's bar conventions are normalised (STYLE
/// habit 2). Values are the decimals of the JSON text, exactly: <c>"v":7.0254e+07</c> is 70254000 and
/// <c>642646396.0</c> stays 642646396.0; <c>vw</c> becomes <see cref="Bar.Vwap"/> and <c>n</c>
/// <see cref="Bar.Trades"/> where sent. Open times:
/// <list type="bullet">
/// <item>Intraday aggregates (minute and hour timespans) keep <c>t</c>, the window's UTC start.</item>
/// <item>Daily and monthly aggregates are stamped 00:00 New York time (04:00Z or 05:00Z with DST); they become 00:00
/// UTC of that New York date, Gapless's daily-bar convention.</item>
/// <item>Weekly aggregates start on Sunday 00:00 New York time; they become Monday 00:00 UTC, where Gapless's weeks
/// start: the two weeks hold the same trading days.</item>
/// <item>A daily-or-longer <c>t</c> already at 00:00 UTC is read as that UTC date; any other <c>t</c> is kept as sent,
/// so the validator quarantines it as misaligned instead of the parser inventing a date.</item>
/// </list>
/// Prices that break OHLC rules are passed on as sent: the validator, not the parser, judges.
/// </summary>
internal static class PolygonAggsParser
{
    /// <summary>Every aggregate of an answer, in the vendor's order. An answer without <c>results</c> has none.</summary>
    /// <exception cref="System.Text.Json.JsonException">The body is not a well-formed aggregates answer.</exception>
    /// <exception cref="FormatException">A number does not fit.</exception>
    public static PolygonPage Parse(ReadOnlySpan<byte> json, Timeframe timeframe)
    {
        ArgumentNullException.ThrowIfNull(timeframe);
        var answer = AggsReader.Read(json);
        var bars = new List<Bar>(answer.Results.Count);
        foreach (var row in answer.Results)
        {
            bars.Add(ToBar(row, timeframe));
        }

        return new PolygonPage(bars, answer.NextUrl, answer.Status);
    }

    public static Bar ToBar(in AggRow row, Timeframe timeframe)
        => new(OpenTime(row.T, timeframe), row.O, row.H, row.L, row.C, row.V, Trades: row.N, Vwap: row.Vw);

    /// <summary>The Gapless open time of an aggregate Polygon stamped <paramref name="t"/>.</summary>
    public static long OpenTime(long t, Timeframe timeframe)
    {
        if (!PolygonTimespan.IsDayBased(timeframe))
        {
            return t;
        }

        var date = NewYorkTime.IsUtcMidnight(t) ? NewYorkTime.UtcDateOf(t)
            : NewYorkTime.IsMidnight(t) ? NewYorkTime.DateOf(t)
            : (NodaTime.LocalDate?)null;
        if (date is not { } d)
        {
            return t;
        }

        // Sunday and Monday both land in the Gapless week that starts on the Monday.
        return timeframe == Timeframe.W1
            ? timeframe.Floor(NewYorkTime.UtcMidnightOf(d.PlusDays(1)))
            : timeframe.Floor(NewYorkTime.UtcMidnightOf(d));
    }
}
