using System.Globalization;
using Gapless.Core.Model;
using Gapless.Providers.Alpaca.Models;

namespace Gapless.Providers.Alpaca;

/// <summary>One page of bars, in Gapless's terms.</summary>
/// <param name="Bars">The single-symbol endpoint's bars, in the vendor's order; empty for the multi-symbol endpoint.</param>
/// <param name="BarsBySymbol">The multi-symbol endpoint's bars by symbol, each in the vendor's order.</param>
/// <param name="NextPageToken">The token of the next page, or null on the last one.</param>
internal sealed record AlpacaBarsPage(
    IReadOnlyList<Bar> Bars,
    IReadOnlyDictionary<string, List<Bar>> BarsBySymbol,
    string? Symbol,
    string? NextPageToken)
{
    /// <summary>Bars on the page, all symbols together.</summary>
    public int Count => Bars.Count + BarsBySymbol.Values.Sum(b => b.Count);
}

/// <summary>
/// Turns Alpaca bars into <see cref="Bar"/>s: the one place Alpaca's bar conventions are normalised (STYLE habit 2).
/// <list type="bullet">
/// <item>Prices, volume and VWAP are JSON numbers, read into decimals from the token's own text, so
/// <c>161.942117</c> is exactly 161.942117 and <c>839</c> exactly 839.</item>
/// <item>Daily, weekly and monthly bars are stamped at New York midnight (<c>2022-03-09T05:00:00Z</c> in winter,
/// <c>2022-06-08T04:00:00Z</c> in summer); Gapless stamps them at 00:00 UTC of that New York date (see
/// <see cref="AlpacaWire.ToGaplessOpenTime"/>). Intraday stamps are kept as sent.</item>
/// <item><c>n</c> is the trade count and <c>vw</c> the VWAP, both optional; Alpaca sends no quote volume.</item>
/// </list>
/// Prices that break OHLC rules are passed on as sent: the validator, not the parser, judges.
/// </summary>
internal static class AlpacaBarParser
{
    private const NumberStyles DecimalStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    private static readonly string[] TimeFormats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    /// <summary>Every bar of a bars answer of either endpoint, in the vendor's order.</summary>
    /// <exception cref="System.Text.Json.JsonException">The body is not a well-formed bars answer.</exception>
    /// <exception cref="FormatException">A time or a number does not parse.</exception>
    public static AlpacaBarsPage Parse(ReadOnlySpan<byte> json, Timeframe timeframe)
    {
        ArgumentNullException.ThrowIfNull(timeframe);
        var answer = AlpacaBarsReader.Read(json);
        var bars = answer.Rows.Select(row => ToBar(row, timeframe)).ToList();
        var bySymbol = new Dictionary<string, List<Bar>>(StringComparer.Ordinal);
        foreach (var (symbol, rows) in answer.RowsBySymbol)
        {
            if (!bySymbol.TryGetValue(symbol, out var list))
            {
                bySymbol[symbol] = list = new List<Bar>(rows.Count);
            }

            list.AddRange(rows.Select(row => ToBar(row, timeframe)));
        }

        return new AlpacaBarsPage(bars, bySymbol, answer.Symbol, answer.NextPageToken);
    }

    public static Bar ToBar(in AlpacaBarRow row, Timeframe timeframe)
    {
        ArgumentNullException.ThrowIfNull(timeframe);
        var stamp = ReadTime(row.Time);
        return new Bar(
            AlpacaWire.ToGaplessOpenTime(stamp, timeframe),
            Read(row.Open, "o", row.Time),
            Read(row.High, "h", row.Time),
            Read(row.Low, "l", row.Time),
            Read(row.Close, "c", row.Time),
            Read(row.Volume, "v", row.Time),
            Trades: row.Trades,
            Vwap: row.Vwap is { } vwap ? Read(vwap, "vw", row.Time) : null);
    }

    /// <summary>An RFC-3339 time with an explicit offset (<c>Z</c> or <c>±hh:mm</c>), as epoch milliseconds.</summary>
    internal static long ReadTime(string text)
    {
        var hasOffset = text.EndsWith('Z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        if (!hasOffset)
        {
            throw new FormatException($"bar time '{text}' has no UTC offset");
        }

        if (!DateTimeOffset.TryParseExact(TrimToTicks(text), TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            throw new FormatException($"bar time '{text}' is not an RFC-3339 time");
        }

        return UtcTime.ToEpochMs(time);
    }

    // .NET reads at most 7 fraction digits; Alpaca may write 9 (nanoseconds). A bar's open is whole minutes anyway.
    private static string TrimToTicks(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return text;
        }

        var end = dot + 1;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        return end - dot - 1 <= 7 ? text : string.Concat(text.AsSpan(0, dot + 8), text.AsSpan(end));
    }

    private static decimal Read(string text, string field, string time)
        => decimal.TryParse(text, DecimalStyle, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"bar {time}: {field} '{text}' is not a decimal number");
}
