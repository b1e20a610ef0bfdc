namespace Gapless.Backtesting.Strategies.Indicators;

/// <summary>
/// Wilder's relative strength index over <c>period</c> closes. The first average gain and loss are the simple means
/// of the first <c>period</c> changes (so the first value comes with the <c>period + 1</c>-th close); after that each
/// average is smoothed as <c>avg = (avg × (period − 1) + x) / period</c>. <c>RSI = 100 − 100 / (1 + avgGain / avgLoss)</c>;
/// 100 when there were no losses, 50 when the price did not move at all. NaN before the first value.
/// </summary>
internal sealed class WilderRsi
{
    private readonly int _period;
    private double _previous = double.NaN;
    private double _avgGain;
    private double _avgLoss;
    private int _changes;

    public WilderRsi(int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        _period = period;
    }

    public double Add(double close)
    {
        var previous = _previous;
        _previous = close;
        if (double.IsNaN(previous))
        {
            return double.NaN;
        }

        var change = close - previous;
        var gain = change > 0 ? change : 0;
        var loss = change < 0 ? -change : 0;
        _changes++;
        if (_changes <= _period)
        {
            _avgGain += gain;
            _avgLoss += loss;
            if (_changes < _period)
            {
                return double.NaN;
            }

            _avgGain /= _period;
            _avgLoss /= _period;
        }
        else
        {
            _avgGain = ((_avgGain * (_period - 1)) + gain) / _period;
            _avgLoss = ((_avgLoss * (_period - 1)) + loss) / _period;
        }

        if (_avgLoss == 0)
        {
            return _avgGain == 0 ? 50 : 100;
        }

        return 100 - (100 / (1 + (_avgGain / _avgLoss)));
    }
}
