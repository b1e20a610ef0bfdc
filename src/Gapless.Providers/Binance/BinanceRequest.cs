using System.Globalization;
using Gapless.Core.Model;

namespace Gapless.Providers.Binance;

/// <summary>One Binance REST request: path and query, its weight, and the symbol it is about (for messages).</summary>
internal sealed record BinanceRequest(string PathAndQuery, int Weight, string Symbol)
{
    /// <summary>Weight of <c>GET /api/v3/klines</c> (any limit), per Binance's spot API docs.</summary>
    public const int KlinesWeight = 2;

    /// <summary>Weight of <c>GET /api/v3/exchangeInfo</c>.</summary>
    public const int ExchangeInfoWeight = 20;

    /// <summary>The most klines one request returns.</summary>
    public const int MaxKlines = 1000;

    /// <summary>Klines with open time in <c>[startMs, endMsInclusive]</c> (Binance's endTime is inclusive).</summary>
    public static BinanceRequest Klines(string symbol, Timeframe timeframe, long startMs, long endMsInclusive, int limit)
        => new(
            string.Create(
                CultureInfo.InvariantCulture,
                $"/api/v3/klines?symbol={Uri.EscapeDataString(symbol)}&interval={timeframe.Code}&startTime={startMs}&endTime={endMsInclusive}&limit={limit}"),
            KlinesWeight,
            symbol);

    /// <summary>Exchange information for one symbol: its rate limits, and a -1121 when the symbol does not exist.</summary>
    public static BinanceRequest ExchangeInfo(string symbol)
        => new($"/api/v3/exchangeInfo?symbol={Uri.EscapeDataString(symbol)}", ExchangeInfoWeight, symbol);
}
