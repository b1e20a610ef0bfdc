namespace Gapless.Providers.Binance.Models;

/// <summary>
/// One kline exactly as Binance sends it: a JSON array
/// <c>[openTime, "open", "high", "low", "close", "volume", closeTime, "quoteAssetVolume", trades, "takerBuyBase", "takerBuyQuote", "ignore"]</c>.
/// Times are epoch milliseconds (numbers); prices and volumes stay text until the parser reads them as decimals.
/// </summary>
internal readonly record struct KlineRow(
    long OpenTime,
    string Open,
    string High,
    string Low,
    string Close,
    string Volume,
    long CloseTime,
    string QuoteAssetVolume,
    long Trades,
    string TakerBuyBaseVolume,
    string TakerBuyQuoteVolume);
