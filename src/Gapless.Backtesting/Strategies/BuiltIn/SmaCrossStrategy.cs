using System.Runtime.CompilerServices;
using Gapless.Backtesting.Strategies.Indicators;

namespace Gapless.Backtesting.Strategies.BuiltIn;

/// <summary>
/// <c>sma-cross</c>: at each close, SMA(fast) and SMA(slow) of closes; enters long on the bar where fast − slow turns
/// from ≤ 0 to &gt; 0 (crosses above), exits on the bar where it turns from ≥ 0 to &lt; 0. Trades only on crossings,
/// so a run starting with fast already above slow waits for the next crossing. Warm-up: <c>slow</c> bars (the slow SMA
/// and the difference one bar earlier are both known on the first bar of the range).
/// </summary>
internal sealed class SmaCrossStrategy(int fast, int slow, Sizing sizing) : LongFlatStrategy(sizing)
{
    private SimpleMovingAverage[] _fast = [];
    private SimpleMovingAverage[] _slow = [];
    private double[] _previousDiff = [];

    public int Fast { get; } = fast;

    public int Slow { get; } = slow;

    public override int WarmupBars => Slow;

    public override void Initialize(IReadOnlyList<string> symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        _fast = new SimpleMovingAverage[symbols.Count];
        _slow = new SimpleMovingAverage[symbols.Count];
        _previousDiff = new double[symbols.Count];
        for (var i = 0; i < symbols.Count; i++)
        {
            _fast[i] = new SimpleMovingAverage(Fast);
            _slow[i] = new SimpleMovingAverage(Slow);
            _previousDiff[i] = double.NaN;
        }
    }

    // Called for every bar of a run that is often the only one in its process: compile it optimized at once rather
    // than run it at tier 0 until the background recompilation lands (after the backtest is over).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void OnBar(in BarEvent bar, StrategyContext context)
    {
        var k = bar.SeriesIndex;
        var (fast, slow) = (_fast[k], _slow[k]);
        var ready = fast.Add(bar.Close) & slow.Add(bar.Close);

        // fast.Sum / Fast − slow.Sum / Slow has the sign of fast.Sum × Slow − slow.Sum × Fast: no division per bar.
        var diff = ready ? (fast.Sum * Slow) - (slow.Sum * Fast) : double.NaN;
        var previous = _previousDiff[k];
        _previousDiff[k] = diff;

        // NaN compares false: nothing happens until both SMAs are known on two bars in a row.
        if (previous <= 0 && diff > 0 && !context.IsWarmingUp)
        {
            Enter(context, k);
        }
        else if (previous >= 0 && diff < 0 && !context.IsWarmingUp)
        {
            Exit(context, k);
        }
    }

    public override string ToString() => $"sma-cross fast={Fast} slow={Slow} {SizingText}";
}
