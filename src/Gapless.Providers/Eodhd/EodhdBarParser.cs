using Gapless.Core.Model;
using Gapless.Providers.Eodhd.Models;

namespace Gapless.Providers.Eodhd;

/// <summary>The bars of one intraday answer, and how many rows it held (skipped rows included).</summary>
/// <param name="Bars">The bars, in the vendor's order.</param>
/// <param name="Rows">Rows in the answer.</param>
/// <param name="Skipped">Rows without a trade (null volume or price), left out.</param>
internal sealed record EodhdAnswer(List<Bar> Bars, int Rows, int Skipped);

/// <summary>
/// Turns EODHD intraday rows into <see cref="Bar"/>s: the one place EODHD's bar conventions are normalised
/// (STYLE habit 2).
/// <list type="bullet">
/// <item><c>timestamp</c> is the bar's open in Unix seconds, UTC; it becomes the open time unchanged (× 1000).
/// <c>datetime</c> (the same instant as UTC text) and <c>gmtoffset</c> (0) are not read: the number is authoritative.</item>
/// <item>Prices and volume are decimals from the JSON number's digits, never through a double, keeping the vendor's
/// scale (<c>146.949996</c> stays 146.949996).</item>
/// <item>A row with a null (or missing) volume, or a null price, is a slot in which nothing traded: EODHD's schema
/// allows <c>volume: null</c>, and such a row's prices cannot be told from a carried-forward quote. It is left out,
/// exactly like a minute EODHD sends no row for; inside coverage its absence is then the fact "no trade".</item>
/// </list>
/// A timestamp off the timeframe's grid is kept as sent, for the validator to quarantine as misaligned; prices that
/// break OHLC rules (high below low) are passed on as sent. The validator, not the parser, judges.
/// </summary>
internal static class EodhdBarParser
{
    /// <exception cref="System.Text.Json.JsonException">The body is not a well-formed intraday answer.</exception>
    /// <exception cref="OverflowException">A timestamp is out of range.</exception>
    public static EodhdAnswer Parse(ReadOnlySpan<byte> json)
    {
        var rows = IntradayRowReader.Read(json);
        var bars = new List<Bar>(rows.Count);
        var skipped = 0;
        foreach (var row in rows)
        {
            if (ToBar(row) is { } bar)
            {
                bars.Add(bar);
            }
            else
            {
                skipped++;
            }
        }

        return new EodhdAnswer(bars, rows.Count, skipped);
    }

    /// <summary>The bar of <paramref name="row"/>, or null when nothing traded in it.</summary>
    public static Bar? ToBar(in IntradayRow row)
    {
        if (row is not { Open: { } open, High: { } high, Low: { } low, Close: { } close, Volume: { } volume })
        {
            return null;
        }

        return new Bar(checked(row.Timestamp * 1000), open, high, low, close, volume);
    }
}
