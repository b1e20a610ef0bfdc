using System.Globalization;
using Gapless.Backtesting.Engine;

namespace Gapless.Backtesting.Strategies;

/// <summary>
/// What a strategy may read and do while it handles a bar: the account (cash, equity, positions, last prices) and
/// orders. Series are addressed by index (<see cref="BarEvent.SeriesIndex"/>, or <see cref="SeriesIndexOf"/>).
/// Quantities are positive with a side, or signed (positive long, negative short) for the target helpers; prices and
/// money are in the quote currency. Every order placed now fills at the earliest on the next bar of its series
/// (see <see cref="OrderType"/>). There are no margin checks: cash may go negative (leverage), shorts are allowed.
/// Engine-owned; valid only inside <see cref="IStrategy.OnBar"/>.
/// </summary>
public sealed class StrategyContext
{
    private readonly Broker _broker;
    private readonly Dictionary<string, int> _index;

    internal StrategyContext(Broker broker)
    {
        _broker = broker;
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < broker.Symbols.Count; i++)
        {
            _index[broker.Symbols[i]] = i;
        }
    }

    /// <summary>Now: the close of the bar being handled, epoch milliseconds UTC.</summary>
    public long TimeMs { get; private set; }

    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(TimeMs);

    /// <summary>True while the bar is before the backtest range: update indicators, place no orders.</summary>
    public bool IsWarmingUp { get; private set; }

    /// <summary>The symbols replayed, by series index.</summary>
    public IReadOnlyList<string> Symbols => _broker.Symbols;

    public double Cash => _broker.Cash;

    /// <summary>Signed value of every position at its last close (shorts negative).</summary>
    public double PositionValue => _broker.PositionValue();

    /// <summary>Cash plus <see cref="PositionValue"/>.</summary>
    public double Equity => _broker.Cash + _broker.PositionValue();

    /// <summary>The series index of <paramref name="symbol"/>.</summary>
    /// <exception cref="ArgumentException">The symbol is not replayed in this run.</exception>
    public int SeriesIndexOf(string symbol)
        => _index.TryGetValue(symbol, out var i)
            ? i
            : throw new ArgumentException($"symbol '{symbol}' is not in this backtest; it replays {string.Join(", ", _broker.Symbols)}", nameof(symbol));

    /// <summary>The signed position of a series: positive long, negative short, 0 flat.</summary>
    public double Position(int series) => _broker.Position(CheckSeries(series));

    /// <summary>The last close seen of a series (NaN before its first bar).</summary>
    public double LastPrice(int series) => _broker.LastPrice(CheckSeries(series));

    /// <summary>True when the series has orders not yet filled or cancelled.</summary>
    public bool HasWorkingOrders(int series) => _broker.HasWorking(CheckSeries(series));

    /// <summary>Places an order; returns its id (for <see cref="Cancel"/>).</summary>
    /// <param name="quantity">Positive and finite.</param>
    /// <param name="price">The limit or stop price (positive); must be null for a market order.</param>
    /// <exception cref="InvalidOperationException">Called during warm-up.</exception>
    /// <exception cref="ArgumentException">A bad series, quantity or price; the message names it.</exception>
    public int PlaceOrder(int series, OrderSide side, OrderType type, double quantity, double? price = null)
    {
        CheckSeries(series);
        if (IsWarmingUp)
        {
            throw new InvalidOperationException(
                $"cannot place an order at {UtcIso(TimeMs)}: the bar is warm-up, before the backtest range (check context.IsWarmingUp)");
        }

        if (!(quantity > 0) || double.IsInfinity(quantity))
        {
            throw new ArgumentOutOfRangeException(nameof(quantity), quantity, $"order quantity must be positive and finite, got {quantity.ToString(CultureInfo.InvariantCulture)}");
        }

        if (type == OrderType.Market)
        {
            if (price is not null)
            {
                throw new ArgumentException("a market order takes no price", nameof(price));
            }

            return _broker.Place(series, side, type, quantity, double.NaN, TimeMs);
        }

        if (price is not { } p || !(p > 0) || double.IsInfinity(p))
        {
            throw new ArgumentOutOfRangeException(nameof(price), price, $"a {type.ToString().ToLowerInvariant()} order needs a positive, finite price");
        }

        return _broker.Place(series, side, type, quantity, p, TimeMs);
    }

    /// <summary>A market buy: fills at the next bar's open, slipped.</summary>
    public int Buy(int series, double quantity) => PlaceOrder(series, OrderSide.Buy, OrderType.Market, quantity);

    /// <summary>A market sell (closes a long or opens a short): fills at the next bar's open, slipped.</summary>
    public int Sell(int series, double quantity) => PlaceOrder(series, OrderSide.Sell, OrderType.Market, quantity);

    public int BuyLimit(int series, double quantity, double limit) => PlaceOrder(series, OrderSide.Buy, OrderType.Limit, quantity, limit);

    public int SellLimit(int series, double quantity, double limit) => PlaceOrder(series, OrderSide.Sell, OrderType.Limit, quantity, limit);

    public int BuyStop(int series, double quantity, double stop) => PlaceOrder(series, OrderSide.Buy, OrderType.Stop, quantity, stop);

    public int SellStop(int series, double quantity, double stop) => PlaceOrder(series, OrderSide.Sell, OrderType.Stop, quantity, stop);

    /// <summary>Cancels a working order; false when it is unknown, filled or already cancelled.</summary>
    public bool Cancel(int orderId) => _broker.Cancel(orderId, TimeMs);

    /// <summary>Cancels every working order of a series; returns how many.</summary>
    public int CancelAll(int series) => _broker.CancelAll(CheckSeries(series), TimeMs);

    /// <summary>
    /// Sizing: places the market order that takes the position (counting market orders not yet filled) to
    /// <paramref name="target"/> (signed: negative is short). Returns the order id, or null when nothing needs doing.
    /// </summary>
    public int? OrderTargetQuantity(int series, double target)
    {
        CheckSeries(series);
        if (!double.IsFinite(target))
        {
            throw new ArgumentOutOfRangeException(nameof(target), target, "target quantity must be finite");
        }

        var delta = target - (_broker.Position(series) + _broker.PendingMarket(series));
        if (Math.Abs(delta) <= 1e-12 * Math.Max(1, Math.Abs(target)))
        {
            return null;
        }

        return delta > 0 ? Buy(series, delta) : Sell(series, -delta);
    }

    /// <summary>
    /// Sizing: targets a position worth <paramref name="fraction"/> of equity at the last close (1 = all in, 0.5 =
    /// half, −1 = short all of equity, 0 = flat). The fill comes at the next open, so the position's value then
    /// differs by that bar's gap. Returns the order id, or null when nothing needs doing.
    /// </summary>
    public int? OrderTargetPercent(int series, double fraction)
    {
        var price = LastPrice(series);
        if (!(price > 0))
        {
            throw new InvalidOperationException($"no positive last price for {_broker.Symbols[series]} to size against");
        }

        return OrderTargetQuantity(series, fraction * Equity / price);
    }

    /// <summary>Sizing: a market order that flattens the series. Returns the order id, or null when already flat.</summary>
    public int? ClosePosition(int series) => OrderTargetQuantity(series, 0);

    internal void Enter(long timeMs, bool warmingUp)
    {
        TimeMs = timeMs;
        IsWarmingUp = warmingUp;
    }

    private int CheckSeries(int series)
    {
        if ((uint)series >= (uint)_broker.Symbols.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(series), series, $"series index must be within 0..{_broker.Symbols.Count - 1}");
        }

        return series;
    }

    private static string UtcIso(long ms) => Gapless.Core.Model.UtcTime.ToIso(ms);
}
