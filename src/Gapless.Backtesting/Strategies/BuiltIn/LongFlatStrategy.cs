namespace Gapless.Backtesting.Strategies.BuiltIn;

/// <summary>
/// What the built-ins share: each series is either flat or long one entry. <see cref="Enter"/> buys only when the
/// series is flat with nothing working, so a signal that repeats bar after bar does not add to the position;
/// <see cref="Exit"/> flattens.
/// </summary>
internal abstract class LongFlatStrategy(Sizing sizing) : IStrategy
{
    public Sizing Sizing { get; } = sizing;

    public abstract int WarmupBars { get; }

    public abstract void Initialize(IReadOnlyList<string> symbols);

    public abstract void OnBar(in BarEvent bar, StrategyContext context);

    protected void Enter(StrategyContext context, int series)
    {
        if (context.Position(series) == 0 && !context.HasWorkingOrders(series))
        {
            context.Buy(series, Sizing.QuantityFor(context, series));
        }
    }

    protected static void Exit(StrategyContext context, int series) => context.ClosePosition(series);

    protected string SizingText => Sizing.IsFixedQuantity ? FormattableString.Invariant($"qty={Sizing.Value}") : FormattableString.Invariant($"fraction={Sizing.Value}");
}
