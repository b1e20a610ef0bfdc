namespace Gapless.Backtesting.Engine;

/// <summary>
/// An order not yet filled or cancelled: a value in its series' working list, so placing one allocates nothing but
/// the <see cref="OrderRecord"/> it becomes when it closes.
/// </summary>
internal readonly record struct WorkingOrder(int Id, int Series, OrderSide Side, OrderType Type, double Quantity, double Price, long PlacedAtMs)
{
    /// <summary>Signed quantity: positive for a buy.</summary>
    public double Signed => Side == OrderSide.Buy ? Quantity : -Quantity;

    /// <summary>Limit or stop price; null for a market order (whose <see cref="Price"/> is NaN).</summary>
    public double? LimitOrStop => Type == OrderType.Market ? null : Price;

    public OrderRecord ToRecord(string symbol, OrderStatus status, long? closedAtMs, double? fillPrice)
        => new(Id, symbol, Side, Type, Quantity, LimitOrStop, PlacedAtMs, status, closedAtMs, fillPrice);
}

/// <summary>
/// The open lots of one symbol, oldest first (FIFO matching). All lots share the position's sign. A list with a head
/// index, so closing the oldest lot is O(1) and nothing is allocated per bar.
/// </summary>
internal sealed class LotQueue
{
    private Lot[] _lots = new Lot[4];
    private int _head;
    private int _tail;

    public int Count => _tail - _head;

    public ref Lot Oldest => ref _lots[_head];

    public Lot this[int i] => _lots[_head + i];

    public void Add(Lot lot)
    {
        if (_tail == _lots.Length)
        {
            if (_head > 0)
            {
                Array.Copy(_lots, _head, _lots, 0, Count);
                _tail -= _head;
                _head = 0;
            }

            if (_tail == _lots.Length)
            {
                Array.Resize(ref _lots, _lots.Length * 2);
            }
        }

        _lots[_tail++] = lot;
    }

    public void RemoveOldest()
    {
        _head++;
        if (_head == _tail)
        {
            _head = _tail = 0;
        }
    }

    public void Clear() => _head = _tail = 0;
}

/// <summary>Part of a position opened by one fill: quantity (positive), price, time, and its entry commission not yet charged to a trade.</summary>
internal struct Lot
{
    public double Quantity;
    public double Price;
    public long TimeMs;
    public double Fee;
}
