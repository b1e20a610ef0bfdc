using System.Runtime.CompilerServices;
using Gapless.Backtesting.Metrics;
using Gapless.Backtesting.Strategies;

namespace Gapless.Backtesting.Engine;

/// <summary>
/// The event loop of one run. Each step takes every bar closing at the next close time <c>t</c> (a k-way merge over
/// the series' close times) and, in this order:
/// <list type="number">
/// <item>fills the working orders of each of those bars' series against the bar (orders placed before its open only);</item>
/// <item>marks positions at the bars' closes and records an equity point (if some bar is inside the range);</item>
/// <item>hands each bar to the strategy, at time <c>t</c>; orders it places can fill from the next bar on.</item>
/// </list>
/// Synchronous and deterministic: no clock, no I/O, no threads, and no allocation per bar (points go into
/// preallocated columns; orders, fills and trades allocate only when they happen).
/// </summary>
internal sealed class Replay
{
    private readonly IStrategy _strategy;
    private readonly SeriesCursor[] _series;
    private readonly BacktestOptions _options;
    private readonly Broker _broker;
    private readonly StrategyContext _context;

    // The equity curve as it grows: equity and the in-market flag per step, cash where it changes, and times only
    // when they cannot be read from the bars (several series, or months of varying length).
    private readonly long[]? _times;
    private readonly double[] _equity;
    private readonly bool[] _inMarket;
    private readonly List<int> _cashFrom = [];
    private readonly List<double> _cashValues = [];
    private int _points;

    public Replay(IStrategy strategy, SeriesCursor[] series, BacktestOptions options)
    {
        _strategy = strategy;
        _series = series;
        _options = options;
        _broker = new Broker(Array.ConvertAll(series, s => s.Symbol), options);
        _context = new StrategyContext(_broker);

        // At most one point per bar in the range; every slot used is written, so skip zeroing.
        var capacity = 0;
        foreach (var s in series)
        {
            capacity += s.End - s.Start;
        }

        _equity = GC.AllocateUninitializedArray<double>(capacity);
        _inMarket = GC.AllocateUninitializedArray<bool>(capacity);
        if (!TimesFromBars)
        {
            _times = GC.AllocateUninitializedArray<long>(capacity);
        }
    }

    private bool TimesFromBars => _series.Length == 1 && _series[0].FixedLengthMs > 0;

    public BacktestResult Run()
    {
        _strategy.Initialize(_broker.Symbols);
        var lastTime = _series.Length == 1 ? RunOne() : RunMerged();
        return Result(lastTime);
    }

    /// <summary>The steps of <see cref="RunMerged"/> for one series, where every bar is a step: the hot path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per backtest over every bar: skip tier 0 and OSR
    private long RunOne()
    {
        var s = _series[0];
        var (broker, strategy, context, symbol) = (_broker, _strategy, _context, s.Symbol);
        var times = s.OpenTimes;
        var (opens, highs, lows, closes, volumes) = (s.Open, s.High, s.Low, s.Close, s.Volume);
        var (start, end, length) = (s.Start, s.End, s.FixedLengthMs);
        var (pointTimes, pointEquity, pointInMarket) = (_times, _equity, _inMarket);
        var points = 0;
        var lastCash = double.NaN;
        var t = long.MinValue;
        for (var first = 0; first < end; first += SeriesCursor.BlockSize)
        {
            if (first != s.BlockStart)
            {
                s.Load(first);
            }

            var count = s.BlockEnd - first;
            for (var j = 0; j < count; j++)
            {
                var i = first + j;
                var open = times[i];
                t = length > 0 ? open + length : s.CloseAt(i);
                if (broker.HasWorking(0))
                {
                    broker.FillWorking(0, open, opens[j], highs[j], lows[j]);
                }

                var close = closes[j];
                broker.SetLast(0, close);
                var warm = i < start;
                if (!warm)
                {
                    var cash = broker.Cash;
                    var position = broker.Position(0);
                    if (pointTimes is not null)
                    {
                        pointTimes[points] = t;
                    }

                    if (!cash.Equals(lastCash))
                    {
                        RecordCash(points, cash);
                        lastCash = cash;
                    }

                    pointEquity[points] = position != 0 ? cash + (position * close) : cash;
                    pointInMarket[points] = position != 0;
                    points++;
                }

                context.Enter(t, warm);
                strategy.OnBar(new BarEvent(0, symbol, open, t, opens[j], highs[j], lows[j], close, volumes[j]), context);
            }
        }

        _points = points;
        return t;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per backtest over every bar: skip tier 0 and OSR
    private long RunMerged()
    {
        var series = _series;
        var lastTime = long.MinValue;
        while (true)
        {
            var t = long.MaxValue;
            foreach (var s in series)
            {
                if (s.HasNext && s.CloseAt(s.Next) < t)
                {
                    t = s.CloseAt(s.Next);
                }
            }

            if (t == long.MaxValue)
            {
                return lastTime;
            }

            var inRange = false;
            for (var k = 0; k < series.Length; k++)
            {
                var s = series[k];
                var i = s.Next;
                if (s.HasNext && s.CloseAt(i) == t)
                {
                    var j = i - s.BlockStart;
                    if (_broker.HasWorking(k))
                    {
                        _broker.FillWorking(k, s.OpenTimes[i], s.Open[j], s.High[j], s.Low[j]);
                    }

                    _broker.SetLast(k, s.Close[j]);
                    inRange |= i >= s.Start;
                }
            }

            if (inRange)
            {
                var cash = _broker.Cash;
                var n = _points++;
                _times![n] = t;
                _equity[n] = cash + _broker.PositionValue(out _inMarket[n]);
                if (_cashValues.Count == 0 || !cash.Equals(_cashValues[^1]))
                {
                    RecordCash(n, cash);
                }
            }

            for (var k = 0; k < series.Length; k++)
            {
                var s = series[k];
                var i = s.Next;
                if (s.HasNext && s.CloseAt(i) == t)
                {
                    var j = i - s.BlockStart;
                    _context.Enter(t, i < s.Start);
                    _strategy.OnBar(new BarEvent(k, s.Symbol, s.OpenTimes[i], t, s.Open[j], s.High[j], s.Low[j], s.Close[j], s.Volume[j]), _context);
                    s.Advance();
                }
            }

            lastTime = t;
        }
    }

    private void RecordCash(int point, double cash)
    {
        _cashFrom.Add(point);
        _cashValues.Add(cash);
    }

    private BacktestResult Result(long lastTime)
    {
        var curve = TimesFromBars
            ? new EquityCurve(_points, _series[0].Frame, _series[0].Start, _series[0].FixedLengthMs, _equity, _inMarket, [.. _cashFrom], [.. _cashValues])
            : new EquityCurve(_points, _times!, _equity, _inMarket, [.. _cashFrom], [.. _cashValues]);
        var shortest = _series.MinBy(s => s.Timeframe.NominalLengthMs)!.Timeframe;
        var barsPerYear = _options.BarsPerYear ?? Annualization.BarsPerYear(shortest, _options.Calendar);
        var metrics = PerformanceMetrics.Compute(curve, _broker.Trades, barsPerYear, _broker.TotalFees);
        if (_points == 0)
        {
            metrics = metrics with { InitialEquity = _options.InitialCash, FinalEquity = _options.InitialCash }; // no bar in the range
        }

        var replays = Array.ConvertAll(_series, s => new SeriesReplay(s.Symbol, s.Timeframe.Code, Math.Min(s.Start, s.End), Math.Max(0, s.End - s.Start)));
        return new BacktestResult(
            curve,
            _broker.Trades.ToArray(),
            _broker.OpenTrades(_points > 0 ? curve.TimeAt(_points - 1) : lastTime),
            _broker.OrderRecords(),
            _broker.Fills.ToArray(),
            metrics,
            replays);
    }
}
