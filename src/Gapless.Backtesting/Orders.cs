namespace Gapless.Backtesting;

/// <summary>Which way an order trades.</summary>
public enum OrderSide
{
    Buy,
    Sell,
}

/// <summary>
/// How an order fills. Every order fills at the earliest on the first bar of its symbol that opens at or after the
/// moment it was placed (the close of the bar the strategy was looking at), so never on the bar that generated it.
/// </summary>
public enum OrderType
{
    /// <summary>At the next bar's open, slipped.</summary>
    Market,

    /// <summary>
    /// When a bar's range reaches the limit: at the limit, or at the open when the bar opens beyond it (a buy limit
    /// at 100 with the bar opening at 98 fills at 98). Never slipped.
    /// </summary>
    Limit,

    /// <summary>
    /// When a bar's range reaches the stop: at the stop, or at the open when the bar gaps through it (a sell stop at
    /// 100 with the bar opening at 97 fills at 97); then slipped like a market order.
    /// </summary>
    Stop,
}

/// <summary>Where an order is. Orders stay <see cref="Working"/> until filled or cancelled (no expiry).</summary>
public enum OrderStatus
{
    Working,
    Filled,
    Cancelled,
}

/// <summary>Long or short, for a trade.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Long and short are the trading terms here, not integer types.")]
public enum PositionSide
{
    Long,
    Short,
}

/// <summary>An order as it ended the run. Times are epoch milliseconds UTC.</summary>
/// <param name="Id">1, 2, … in the order they were placed.</param>
/// <param name="Quantity">Always positive; <paramref name="Side"/> gives the direction.</param>
/// <param name="Price">The limit or stop price; null for a market order.</param>
/// <param name="PlacedAtMs">When the strategy placed it: the close of the bar it was looking at.</param>
/// <param name="ClosedAtMs">When it filled (the open time of the bar it filled in) or was cancelled; null while working.</param>
/// <param name="FillPrice">The price it filled at, after slippage; null unless filled.</param>
public sealed record OrderRecord(
    int Id,
    string Symbol,
    OrderSide Side,
    OrderType Type,
    double Quantity,
    double? Price,
    long PlacedAtMs,
    OrderStatus Status,
    long? ClosedAtMs,
    double? FillPrice);

/// <summary>One execution. Orders fill whole, so each filled order has exactly one fill.</summary>
/// <param name="TimeMs">The open time of the bar the order filled in (a market order fills exactly then).</param>
/// <param name="Price">The fill price, slippage included.</param>
/// <param name="Commission">Basis-point commission on <c>Quantity × Price</c> plus the per-order fee.</param>
/// <param name="Slippage">What slippage cost: <c>|Price − price before slippage| × Quantity</c> (already in <paramref name="Price"/>).</param>
public sealed record Fill(
    int OrderId,
    string Symbol,
    OrderSide Side,
    double Quantity,
    double Price,
    double Commission,
    double Slippage,
    long TimeMs);

/// <summary>
/// A round trip, or a piece of one: positions are matched first in, first out, so a fill that closes part of a
/// position closes the oldest lot first and gives one trade per lot it touches. For strategies that go all in and all
/// out, one trade is one round trip. Times are epoch milliseconds UTC (fill times).
/// </summary>
/// <param name="Quantity">Always positive.</param>
/// <param name="Fees">The entry fill's commission and the exit fill's, each pro rata to <paramref name="Quantity"/>.</param>
/// <param name="Pnl">Net: <c>(exit − entry) × quantity</c> for a long, <c>(entry − exit) × quantity</c> for a short, minus <paramref name="Fees"/>.</param>
/// <param name="IsOpen">True for a position still open at the end, marked at the last close (no exit fee, nothing sold).</param>
public sealed record Trade(
    string Symbol,
    PositionSide Side,
    double Quantity,
    long EntryTimeMs,
    double EntryPrice,
    long ExitTimeMs,
    double ExitPrice,
    double Fees,
    double Pnl,
    bool IsOpen = false)
{
    /// <summary>Net P&amp;L over the entry notional.</summary>
    public double Return => Pnl / (EntryPrice * Quantity);
}
