namespace Gapless.Backtesting.Strategies.Indicators;

/// <summary>
/// The highest (or lowest) of the last <c>length</c> values, in amortised O(1): a monotonic deque over a ring of
/// <c>length + 1</c> slots, so nothing is allocated per value.
/// </summary>
internal sealed class RollingExtreme
{
    private readonly int _length;
    private readonly bool _max;
    private readonly double[] _values;
    private readonly long[] _indexes;
    private int _head;
    private int _count;
    private long _seen;

    public RollingExtreme(int length, bool max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        _length = length;
        _max = max;
        _values = new double[length + 1];
        _indexes = new long[length + 1];
    }

    /// <summary>True once <c>length</c> values have been added.</summary>
    public bool IsFull => _seen >= _length;

    /// <summary>The extreme of the last <c>length</c> values (of fewer before <see cref="IsFull"/>); NaN when empty.</summary>
    public double Value => _count > 0 ? _values[_head] : double.NaN;

    public void Add(double value)
    {
        var cap = _values.Length;
        while (_count > 0)
        {
            var back = _values[(_head + _count - 1) % cap];
            if (_max ? back <= value : back >= value)
            {
                _count--;
            }
            else
            {
                break;
            }
        }

        var slot = (_head + _count) % cap;
        _values[slot] = value;
        _indexes[slot] = _seen;
        _count++;
        _seen++;
        while (_indexes[_head] <= _seen - 1 - _length)
        {
            _head = (_head + 1) % cap;
            _count--;
        }
    }
}
