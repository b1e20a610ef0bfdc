using System.Globalization;
using Gapless.Core.Model;
using Gapless.Providers.Binance.Models;

namespace Gapless.Providers.Binance;

/// <summary>
/// Turns Binance klines into <see cref="Bar"/>s: the one place Binance's bar conventions are normalised
/// (STYLE habit 2). Values are read as decimals with the invariant culture, keeping the vendor's scale
/// (<c>"42000.01000000"</c> stays 42000.01000000). Quirks are handled deliberately and never shift a bar:
/// <list type="bullet">
/// <item>A regular kline closes at open + interval − 1 ms; the close is derived from the timeframe, not stored.</item>
/// <item>A kline cut short by a trading halt (close time before open + interval − 1 ms, e.g. BTCUSDT 2020-02-19
/// 11:35) keeps its open time, and <see cref="Bar.CutShortAtMs"/> records the vendor's close time.</item>
/// <item>A kline whose open time is off the interval grid (after the 2018-02-08 outage) keeps the vendor's open
/// time unchanged; the validator quarantines it as misaligned, with a reason. Snapping it would invent data.</item>
/// </list>
/// Prices that break OHLC rules (high below low) are passed on as sent: the validator, not the parser, judges.
/// </summary>
internal static class BinanceKlineParser
{
    private const NumberStyles DecimalStyle = NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign;

    /// <summary>Every kline of a klines answer, in the vendor's order.</summary>
    /// <exception cref="System.Text.Json.JsonException">The body is not a well-formed klines answer.</exception>
    /// <exception cref="FormatException">A price or volume is not a decimal number.</exception>
    public static List<Bar> Parse(ReadOnlySpan<byte> json, Timeframe timeframe)
    {
        var rows = KlineRowReader.Read(json);
        var bars = new List<Bar>(rows.Count);
        foreach (var row in rows)
        {
            bars.Add(ToBar(row, timeframe));
        }

        return bars;
    }

    public static Bar ToBar(in KlineRow row, Timeframe timeframe)
    {
        ArgumentNullException.ThrowIfNull(timeframe);
        // The close of the grid slot holding the open time: an off-grid kline that ends with its slot is
        // misaligned (the validator's call), not cut short.
        var regularCloseTime = timeframe.CloseOf(timeframe.Floor(row.OpenTime)) - 1;
        return new Bar(
            row.OpenTime,
            Read(row.Open, "open", row.OpenTime),
            Read(row.High, "high", row.OpenTime),
            Read(row.Low, "low", row.OpenTime),
            Read(row.Close, "close", row.OpenTime),
            Read(row.Volume, "volume", row.OpenTime),
            QuoteVolume: Read(row.QuoteAssetVolume, "quote volume", row.OpenTime),
            Trades: row.Trades,
            CutShortAtMs: row.CloseTime < regularCloseTime ? row.CloseTime : null);
    }

    private static decimal Read(string text, string field, long openTime)
        => decimal.TryParse(text, DecimalStyle, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"kline {UtcTime.ToIso(openTime)}: {field} '{text}' is not a decimal number");
}
