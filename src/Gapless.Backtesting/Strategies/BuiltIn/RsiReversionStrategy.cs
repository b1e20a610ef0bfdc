using System.Runtime.CompilerServices;
using Gapless.Backtesting.Strategies.Indicators;

namespace Gapless.Backtesting.Strategies.BuiltIn;

/// <summary>
/// <c>rsi-reversion</c>: Wilder's RSI(period) of closes; enters long on a close where RSI &lt; low while flat, exits
/// on a close where RSI &gt; high. Warm-up: <c>period</c> bars, the fewest that give an RSI on the first bar of the
/// range (Wilder's smoothing remembers its start, so a longer warm-up changes early values slightly).
/// </summary>
internal sealed class RsiReversionStrategy(int period, double low, double high, Sizing sizing) : LongFlatStrategy(sizing)
{
    private WilderRsi[] _rsi = [];

    public int Period { get; } = period;

    public double Low { get; } = low;

    public double High { get; } = high;

    public override int WarmupBars => Period;

    public override void Initialize(IReadOnlyList<string> symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        _rsi = new WilderRsi[symbols.Count];
        for (var i = 0; i < symbols.Count; i++)
        {
            _rsi[i] = new WilderRsi(Period);
        }
    }

    // Called for every bar of a run that is often the only one in its process: compile it optimized at once rather
    // than run it at tier 0 until the background recompilation lands (after the backtest is over).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void OnBar(in BarEvent bar, StrategyContext context)
    {
        var k = bar.SeriesIndex;
        var rsi = _rsi[k].Add(bar.Close);
        if (context.IsWarmingUp || double.IsNaN(rsi))
        {
            return;
        }

        if (rsi < Low)
        {
            Enter(context, k);
        }
        else if (rsi > High)
        {
            Exit(context, k);
        }
    }

    public override string ToString() => FormattableString.Invariant($"rsi-reversion period={Period} low={Low} high={High} {SizingText}");
}
