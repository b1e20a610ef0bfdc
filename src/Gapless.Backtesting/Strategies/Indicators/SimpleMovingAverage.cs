namespace Gapless.Backtesting.Strategies.Indicators;

/// <summary>
/// The mean of the last <c>length</c> values, kept as a running sum over a ring buffer: O(1) per value, no division
/// until <see cref="Mean"/> is read. Double arithmetic: the running sum drifts by ulps over millions of bars, far
/// below any price increment.
/// </summary>
internal sealed class SimpleMovingAverage
{
    private readonly double[] _window;
    private int _next;
    private int _count;

    public SimpleMovingAverage(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        _window = new double[length];
    }

    public int Length => _window.Length;

    /// <summary>The sum of the last <see cref="Length"/> values (of all values before <see cref="IsReady"/>).</summary>
    public double Sum { get; private set; }

    /// <summary>True once <see cref="Length"/> values have been added.</summary>
    public bool IsReady => _count == _window.Length;

    /// <summary>The average, or NaN before <see cref="IsReady"/>.</summary>
    public double Mean => IsReady ? Sum / _window.Length : double.NaN;

    /// <summary>Adds a value; returns <see cref="IsReady"/>.</summary>
    public bool Add(double value)
    {
        var window = _window;
        var next = _next;
        Sum += value - window[next];
        window[next] = value;
        _next = next + 1 == window.Length ? 0 : next + 1;
        if (_count < window.Length)
        {
            _count++;
        }

        return _count == window.Length;
    }
}
