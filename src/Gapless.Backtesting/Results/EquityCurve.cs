using System.Collections;
using System.Runtime.CompilerServices;
using Gapless.Core.Model;

namespace Gapless.Backtesting;

/// <summary>
/// The account at one step of the run: after the fills of the bars closing at <see cref="TimeMs"/> and marked at
/// their closes, before the strategy acts on them.
/// </summary>
/// <param name="TimeMs">The close of the bars this point marks (epoch ms UTC): when the value is known.</param>
/// <param name="Equity">Cash plus position value.</param>
/// <param name="PositionValue">Signed value of every position at its last close (shorts negative).</param>
/// <param name="Drawdown">How far below its running peak equity is, as a fraction: 0 at a peak, 0.25 when 25 % below.</param>
/// <param name="InMarket">True when some position is open.</param>
public readonly record struct EquityPoint(long TimeMs, double Equity, double Cash, double PositionValue, double Drawdown, bool InMarket)
{
    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(TimeMs);
}

/// <summary>
/// The equity curve: one point per step of the backtest range (a step is every distinct close time; with one series,
/// every bar). Stored as columns, so a year of 1m bars costs no per-point objects: equity and the in-market flag per
/// step, cash only where it changed (at fills), and, for one series of fixed-length bars, times read from the bars
/// themselves. Full columns of times, cash and drawdowns are built on first use. Immutable and thread-safe.
/// </summary>
public sealed class EquityCurve : IReadOnlyList<EquityPoint>
{
    private readonly double[] _equity;
    private readonly bool[] _inMarket;

    // Cash is _cashValues[k] from step _cashFrom[k] until the next change; _cashFrom[0] is 0 when there are steps.
    private readonly int[] _cashFrom;
    private readonly double[] _cashValues;

    // Either explicit step times, or bars whose closes they are: step i closes bar _barStart + i, of fixed length.
    private readonly BarFrame? _bars;
    private readonly int _barStart;
    private readonly long _barLength;
    private long[]? _times;
    private double[]? _cash;
    private double[]? _drawdowns;

    private EquityCurve(int count, double[] equity, bool[] inMarket, int[] cashFrom, double[] cashValues)
    {
        Count = count;
        _equity = equity;
        _inMarket = inMarket;
        _cashFrom = cashFrom;
        _cashValues = cashValues;
    }

    /// <summary>Steps at explicit times.</summary>
    internal EquityCurve(int count, long[] times, double[] equity, bool[] inMarket, int[] cashFrom, double[] cashValues)
        : this(count, equity, inMarket, cashFrom, cashValues) => _times = times;

    /// <summary>Steps at the closes of bars <c>[barStart, barStart + count)</c> of <paramref name="bars"/>, each <paramref name="barLength"/> long.</summary>
    internal EquityCurve(int count, BarFrame bars, int barStart, long barLength, double[] equity, bool[] inMarket, int[] cashFrom, double[] cashValues)
        : this(count, equity, inMarket, cashFrom, cashValues) => (_bars, _barStart, _barLength) = (bars, barStart, barLength);

    public int Count { get; }

    /// <summary>Step times, epoch ms UTC, ascending (built on first use when they come from the bars).</summary>
    public ReadOnlySpan<long> Times => LazyInitializer.EnsureInitialized(ref _times, BuildTimes).AsSpan(0, Count);

    /// <summary>Equity at each step.</summary>
    public ReadOnlySpan<double> Equity => _equity.AsSpan(0, Count);

    public EquityPoint this[int index]
    {
        get
        {
            CheckIndex(index);
            var cash = LazyInitializer.EnsureInitialized(ref _cash, BuildCash);
            var drawdowns = LazyInitializer.EnsureInitialized(ref _drawdowns, BuildDrawdowns);
            return new EquityPoint(TimeAt(index), _equity[index], cash[index], _equity[index] - cash[index], drawdowns[index], _inMarket[index]);
        }
    }

    /// <summary>The time of one step (epoch ms UTC), without building the whole column.</summary>
    public long TimeAt(int index)
    {
        CheckIndex(index);
        return _times is { } times ? times[index] : _bars!.OpenTimes[_barStart + index] + _barLength;
    }

    /// <summary>A curve from points (for metrics on a curve of your own, or tests). Drawdowns are recomputed from equity.</summary>
    public static EquityCurve From(IReadOnlyList<EquityPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var n = points.Count;
        var times = new long[n];
        var equity = new double[n];
        var inMarket = new bool[n];
        var (cashFrom, cashValues) = (new List<int>(), new List<double>());
        for (var i = 0; i < n; i++)
        {
            var p = points[i];
            if (i > 0 && p.TimeMs <= times[i - 1])
            {
                throw new ArgumentException($"equity points must be in strictly ascending time order (at index {i})", nameof(points));
            }

            times[i] = p.TimeMs;
            equity[i] = p.Equity;
            inMarket[i] = p.InMarket;
            if (i == 0 || !p.Cash.Equals(cashValues[^1]))
            {
                cashFrom.Add(i);
                cashValues.Add(p.Cash);
            }
        }

        return new EquityCurve(n, times, equity, inMarket, [.. cashFrom], [.. cashValues]);
    }

    internal static double DrawdownOf(double equity, double peak) => peak > 0 ? (peak - equity) / peak : 0;

    /// <summary>How many steps have a position open.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per run over every step: skip tier 0 and OSR
    internal int StepsInMarket()
    {
        var count = 0;
        foreach (var inMarket in _inMarket.AsSpan(0, Count))
        {
            count += inMarket ? 1 : 0;
        }

        return count;
    }

    public IEnumerator<EquityPoint> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be within 0..{Count - 1}");
        }
    }

    private long[] BuildTimes()
    {
        var times = new long[Count];
        var opens = _bars!.OpenTimes.Slice(_barStart, Count);
        for (var i = 0; i < times.Length; i++)
        {
            times[i] = opens[i] + _barLength;
        }

        return times;
    }

    private double[] BuildCash()
    {
        var cash = new double[Count];
        for (var k = 0; k < _cashFrom.Length; k++)
        {
            var to = k + 1 < _cashFrom.Length ? _cashFrom[k + 1] : Count;
            cash.AsSpan(_cashFrom[k], to - _cashFrom[k]).Fill(_cashValues[k]);
        }

        return cash;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once over every step: skip tier 0 and OSR
    private double[] BuildDrawdowns()
    {
        var drawdowns = new double[Count];
        var peak = double.NegativeInfinity;
        for (var i = 0; i < Count; i++)
        {
            peak = Math.Max(peak, _equity[i]);
            drawdowns[i] = DrawdownOf(_equity[i], peak);
        }

        return drawdowns;
    }
}
