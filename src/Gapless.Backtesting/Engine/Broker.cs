namespace Gapless.Backtesting.Engine;

/// <summary>
/// Cash, positions and orders of one run: fills working orders against each new bar, charges commission and
/// slippage, and matches closing fills against open lots (FIFO) into trades. Money is double: exact prices come
/// from the frames' decimals, and a double's 15–16 significant digits are far finer than any fee or fill.
/// Synchronous, single-threaded, engine-owned.
/// </summary>
internal sealed class Broker
{
    private readonly string[] _symbols;
    private readonly double _commissionRate;
    private readonly double _feePerOrder;
    private readonly double _slippageRate;
    private readonly double[] _position;
    private readonly double[] _last;
    private readonly double[] _pendingMarket;
    private readonly List<WorkingOrder>[] _working;
    private readonly LotQueue[] _lots;
    private readonly List<OrderRecord?> _closed = []; // by id − 1: the record once filled or cancelled, null while working
    private readonly List<int> _seriesOf = []; // by id − 1
    private readonly List<Fill> _fills = [];
    private readonly List<Trade> _trades = [];

    public Broker(string[] symbols, BacktestOptions options)
    {
        _symbols = symbols;
        _commissionRate = options.CommissionBps / 10_000;
        _feePerOrder = options.FeePerOrder;
        _slippageRate = options.SlippageBps / 10_000;
        Cash = options.InitialCash;
        var n = symbols.Length;
        _position = new double[n];
        _last = new double[n];
        Array.Fill(_last, double.NaN);
        _pendingMarket = new double[n];
        _working = new List<WorkingOrder>[n];
        _lots = new LotQueue[n];
        for (var i = 0; i < n; i++)
        {
            _working[i] = [];
            _lots[i] = new LotQueue();
        }
    }

    public IReadOnlyList<string> Symbols => _symbols;

    public double Cash { get; private set; }

    public double TotalFees { get; private set; }

    public IReadOnlyList<Fill> Fills => _fills;

    public IReadOnlyList<Trade> Trades => _trades;

    public double Position(int series) => _position[series];

    public double LastPrice(int series) => _last[series];

    /// <summary>Quantity of market orders placed but not yet filled (signed).</summary>
    public double PendingMarket(int series) => _pendingMarket[series];

    public bool HasWorking(int series) => _working[series].Count > 0;

    public void SetLast(int series, double close) => _last[series] = close;

    /// <summary>Σ position × last close, signed (shorts count negative).</summary>
    public double PositionValue() => PositionValue(out _);

    /// <summary>Σ position × last close, and whether any position is open.</summary>
    public double PositionValue(out bool inMarket)
    {
        var value = 0.0;
        inMarket = false;
        var positions = _position;
        for (var i = 0; i < positions.Length; i++)
        {
            if (positions[i] != 0)
            {
                value += positions[i] * _last[i];
                inMarket = true;
            }
        }

        return value;
    }

    public int Place(int series, OrderSide side, OrderType type, double quantity, double price, long placedAtMs)
    {
        var order = new WorkingOrder(_closed.Count + 1, series, side, type, quantity, price, placedAtMs);
        _closed.Add(null);
        _seriesOf.Add(series);
        _working[series].Add(order);
        if (type == OrderType.Market)
        {
            _pendingMarket[series] += order.Signed;
        }

        return order.Id;
    }

    public bool Cancel(int orderId, long atMs)
    {
        if (orderId < 1 || orderId > _closed.Count || _closed[orderId - 1] is not null)
        {
            return false;
        }

        var list = _working[_seriesOf[orderId - 1]];
        var index = list.FindIndex(o => o.Id == orderId);
        CancelAt(list, index, atMs);
        return true;
    }

    public int CancelAll(int series, long atMs)
    {
        var list = _working[series];
        var count = list.Count;
        while (list.Count > 0)
        {
            CancelAt(list, list.Count - 1, atMs);
        }

        return count;
    }

    /// <summary>
    /// Fills, in the order they were placed, the working orders of <paramref name="series"/> that this bar can fill:
    /// those placed at or before its open, whose trigger the bar's range reaches.
    /// </summary>
    public void FillWorking(int series, long openTimeMs, double open, double high, double low)
    {
        var list = _working[series];
        for (var i = 0; i < list.Count;)
        {
            var order = list[i];
            if (openTimeMs >= order.PlacedAtMs && TryTrigger(order, open, high, low, out var reference))
            {
                list.RemoveAt(i);
                Execute(order, reference, openTimeMs);
            }
            else
            {
                i++;
            }
        }
    }

    /// <summary>Every order by id: its record if it closed, else a working one.</summary>
    public IReadOnlyList<OrderRecord> OrderRecords()
    {
        var records = new OrderRecord[_closed.Count];
        for (var i = 0; i < records.Length; i++)
        {
            records[i] = _closed[i]!;
        }

        foreach (var list in _working)
        {
            foreach (var order in list)
            {
                records[order.Id - 1] = order.ToRecord(_symbols[order.Series], OrderStatus.Working, null, null);
            }
        }

        return records;
    }

    /// <summary>Positions still open, one entry per lot, marked at the last close at <paramref name="atMs"/>.</summary>
    public IReadOnlyList<Trade> OpenTrades(long atMs)
    {
        var open = new List<Trade>();
        for (var s = 0; s < _lots.Length; s++)
        {
            var side = _position[s] > 0 ? PositionSide.Long : PositionSide.Short;
            for (var i = 0; i < _lots[s].Count; i++)
            {
                var lot = _lots[s][i];
                open.Add(MakeTrade(s, side, lot.Quantity, lot.TimeMs, lot.Price, atMs, _last[s], lot.Fee, isOpen: true));
            }
        }

        return open;
    }

    private static bool TryTrigger(WorkingOrder order, double open, double high, double low, out double price)
    {
        var p = order.Price;
        var buy = order.Side == OrderSide.Buy;
        price = order.Type switch
        {
            OrderType.Market => open,
            OrderType.Limit when buy => open <= p ? open : low <= p ? p : double.NaN,
            OrderType.Limit => open >= p ? open : high >= p ? p : double.NaN,
            OrderType.Stop when buy => open >= p ? open : high >= p ? p : double.NaN,
            _ => open <= p ? open : low <= p ? p : double.NaN,
        };
        return !double.IsNaN(price);
    }

    private void Execute(WorkingOrder order, double reference, long timeMs)
    {
        var buy = order.Side == OrderSide.Buy;
        var price = order.Type == OrderType.Limit ? reference
            : buy ? reference * (1 + _slippageRate) : reference * (1 - _slippageRate);
        var quantity = order.Quantity;
        var notional = quantity * price;
        var commission = (notional * _commissionRate) + _feePerOrder;
        Cash += buy ? -(notional + commission) : notional - commission;
        TotalFees += commission;
        if (order.Type == OrderType.Market)
        {
            _pendingMarket[order.Series] -= order.Signed;
        }

        Book(order.Series, order.Signed, price, commission, timeMs);
        var symbol = _symbols[order.Series];
        _fills.Add(new Fill(order.Id, symbol, order.Side, quantity, price, commission, Math.Abs(price - reference) * quantity, timeMs));
        _closed[order.Id - 1] = order.ToRecord(symbol, OrderStatus.Filled, timeMs, price);
    }

    /// <summary>
    /// Closes open lots first in, first out, then opens a lot with what is left (a flip opens the other side).
    /// Quantities within 10⁻¹² of the fill of each other count as equal, so rounding dust never leaves a lot of
    /// 1e-17 open (and the account "in the market") after a strategy sells what it bought in pieces.
    /// </summary>
    private void Book(int series, double signed, double price, double commission, long timeMs)
    {
        var lots = _lots[series];
        var position = _position[series];
        var total = Math.Abs(signed);
        var dust = total * 1e-12;
        var remaining = total;
        if (position != 0 && Math.Sign(position) != Math.Sign(signed))
        {
            var side = position > 0 ? PositionSide.Long : PositionSide.Short;
            while (remaining > dust && lots.Count > 0)
            {
                ref var lot = ref lots.Oldest;
                var whole = lot.Quantity - remaining <= dust;
                var matched = whole ? lot.Quantity : remaining;
                var entryFee = whole ? lot.Fee : lot.Fee * matched / lot.Quantity;
                var exitFee = commission * Math.Min(matched, total) / total;
                _trades.Add(MakeTrade(series, side, matched, lot.TimeMs, lot.Price, timeMs, price, entryFee + exitFee, isOpen: false));
                remaining -= matched;
                if (whole)
                {
                    lots.RemoveOldest();
                }
                else
                {
                    lot.Quantity -= matched;
                    lot.Fee -= entryFee;
                }
            }

            if (remaining <= dust)
            {
                // Closed without opening anything: exactly flat when no lot is left, whatever rounding accumulated.
                _position[series] = lots.Count == 0 ? 0 : position + signed;
                return;
            }

            if (lots.Count == 0)
            {
                position = 0; // a flip: what is left opens the other side
                signed = Math.Sign(signed) * remaining;
            }
        }

        lots.Add(new Lot { Quantity = remaining, Price = price, TimeMs = timeMs, Fee = commission * remaining / total });
        _position[series] = position + signed;
    }

    private Trade MakeTrade(int series, PositionSide side, double quantity, long entryMs, double entry, long exitMs, double exit, double fees, bool isOpen)
    {
        var gross = side == PositionSide.Long ? (exit - entry) * quantity : (entry - exit) * quantity;
        return new Trade(_symbols[series], side, quantity, entryMs, entry, exitMs, exit, fees, gross - fees, isOpen);
    }

    private void CancelAt(List<WorkingOrder> list, int index, long atMs)
    {
        var order = list[index];
        list.RemoveAt(index);
        if (order.Type == OrderType.Market)
        {
            _pendingMarket[order.Series] -= order.Signed;
        }

        _closed[order.Id - 1] = order.ToRecord(_symbols[order.Series], OrderStatus.Cancelled, atMs, null);
    }
}
