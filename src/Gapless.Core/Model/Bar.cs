namespace Gapless.Core.Model;

/// <summary>
/// One bar as the vendor sent it, stamped with its UTC open time (epoch ms); the close is derived from the
/// timeframe. Prices and volumes are <see cref="decimal"/> parsed from the vendor's text, so
/// <c>"42000.01000000"</c> comes back as 42000.01 to the last digit. A plain record: the validator, not the
/// constructor, decides whether a bar is good, so bad bars can be held and quarantined with a reason.
/// </summary>
/// <param name="OpenTimeMs">Open time, epoch milliseconds UTC.</param>
/// <param name="QuoteVolume">Volume in the quote asset, where the vendor gives it.</param>
/// <param name="Trades">Number of trades, where the vendor gives it.</param>
/// <param name="Vwap">Volume-weighted average price, where the vendor gives it.</param>
/// <param name="CutShortAtMs">
/// Set only when the vendor closed the bar early (a trading halt): the vendor's close time, epoch ms.
/// Null for every regular bar.
/// </param>
public readonly record struct Bar(
    long OpenTimeMs,
    decimal Open,
    decimal High,
    decimal Low,
    decimal Close,
    decimal Volume,
    decimal? QuoteVolume = null,
    long? Trades = null,
    decimal? Vwap = null,
    long? CutShortAtMs = null)
{
    public DateTimeOffset OpenTime => UtcTime.ToDateTimeOffset(OpenTimeMs);
}

/// <summary>A bar the validator rejected, kept with the reason and never served.</summary>
public sealed record QuarantinedBar(Bar Bar, string Reason);
