using System.Runtime.CompilerServices;
using Gapless.Backtesting.Strategies.Indicators;

namespace Gapless.Backtesting.Strategies.BuiltIn;

/// <summary>
/// <c>breakout</c> (a Donchian channel): enters long on a close above the highest high of the <c>lookback</c> bars
/// before it, exits on a close below their lowest low. The signal bar itself is not in its channel. Warm-up:
/// <c>lookback</c> bars.
/// </summary>
internal sealed class BreakoutStrategy(int lookback, Sizing sizing) : LongFlatStrategy(sizing)
{
    private RollingExtreme[] _highs = [];
    private RollingExtreme[] _lows = [];

    public int Lookback { get; } = lookback;

    public override int WarmupBars => Lookback;

    public override void Initialize(IReadOnlyList<string> symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        _highs = new RollingExtreme[symbols.Count];
        _lows = new RollingExtreme[symbols.Count];
        for (var i = 0; i < symbols.Count; i++)
        {
            _highs[i] = new RollingExtreme(Lookback, max: true);
            _lows[i] = new RollingExtreme(Lookback, max: false);
        }
    }

    // Called for every bar of a run that is often the only one in its process: compile it optimized at once rather
    // than run it at tier 0 until the background recompilation lands (after the backtest is over).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void OnBar(in BarEvent bar, StrategyContext context)
    {
        var k = bar.SeriesIndex;
        var highs = _highs[k];
        var lows = _lows[k];
        var ready = highs.IsFull;
        var channelHigh = highs.Value;
        var channelLow = lows.Value;
        highs.Add(bar.High);
        lows.Add(bar.Low);
        if (!ready || context.IsWarmingUp)
        {
            return;
        }

        if (bar.Close > channelHigh)
        {
            Enter(context, k);
        }
        else if (bar.Close < channelLow)
        {
            Exit(context, k);
        }
    }

    public override string ToString() => $"breakout lookback={Lookback} {SizingText}";
}
