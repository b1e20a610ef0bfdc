using Gapless.Backtesting.Strategies;
using Gapless.Core.Model;

namespace Gapless.Backtesting.Tests;

/// <summary>Hand-written bars and a strategy that does what the test says at given bars.</summary>
internal static class TestBars
{
    public const long Hour = 3_600_000;
    public const long T0 = 1_704_067_200_000; // 2024-01-01T00:00:00Z

    /// <summary>Hourly bars from <see cref="T0"/>, (open, high, low, close), volume 1.</summary>
    public static BarFrame Hourly(params (decimal O, decimal H, decimal L, decimal C)[] bars)
        => Frame(T0, Hour, bars);

    public static BarFrame Frame(long startMs, long stepMs, (decimal O, decimal H, decimal L, decimal C)[] bars)
        => BarFrame.FromBars(bars.Select((b, i) => new Bar(startMs + (i * stepMs), b.O, b.H, b.L, b.C, 1m)).ToArray());

    /// <summary>Bars whose open is the previous close (the first opens at its close), high and low the wider of the two.</summary>
    public static BarFrame FromCloses(long stepMs, params decimal[] closes)
        => Frame(T0, stepMs, closes.Select((c, i) =>
        {
            var o = i == 0 ? c : closes[i - 1];
            return (o, Math.Max(o, c), Math.Min(o, c), c);
        }).ToArray());

    /// <summary>Open time of hourly bar <paramref name="i"/>.</summary>
    public static long OpenOf(int i) => T0 + (i * Hour);

    /// <summary>Close time of hourly bar <paramref name="i"/>: when the strategy sees it.</summary>
    public static long CloseOf(int i) => T0 + ((i + 1) * Hour);
}

/// <summary>Runs the action given for a bar index of series 0 (or of any series with <see cref="OnAny"/>); records what it saw.</summary>
internal sealed class ScriptedStrategy(int warmupBars = 0) : IStrategy
{
    private readonly Dictionary<int, Action<StrategyContext>> _actions = [];
    private Action<BarEvent, StrategyContext>? _any;
    private int _seen;

    public int WarmupBars => warmupBars;

    public List<(BarEvent Bar, bool WarmingUp, double Equity)> Seen { get; } = [];

    public ScriptedStrategy On(int barIndex, Action<StrategyContext> action)
    {
        _actions[barIndex] = action;
        return this;
    }

    public ScriptedStrategy OnAny(Action<BarEvent, StrategyContext> action)
    {
        _any = action;
        return this;
    }

    public void Initialize(IReadOnlyList<string> symbols)
    {
        _seen = 0;
        Seen.Clear();
    }

    public void OnBar(in BarEvent bar, StrategyContext context)
    {
        Seen.Add((bar, context.IsWarmingUp, context.Equity));
        _any?.Invoke(bar, context);
        if (bar.SeriesIndex == 0 && _actions.TryGetValue(_seen++, out var action))
        {
            action(context);
        }
    }
}
