namespace Gapless.Backtesting.Strategies;

/// <summary>
/// How big an entry is: a fixed quantity, or a fraction of equity at the last close. Immutable. For "get to this
/// position", use <see cref="StrategyContext.OrderTargetPercent"/> or <see cref="StrategyContext.OrderTargetQuantity"/>.
/// </summary>
public readonly record struct Sizing
{
    private Sizing(bool isFixed, double value)
    {
        IsFixedQuantity = isFixed;
        Value = value;
    }

    /// <summary>True for a fixed quantity, false for a fraction of equity.</summary>
    public bool IsFixedQuantity { get; }

    /// <summary>The quantity, or the fraction of equity.</summary>
    public double Value { get; }

    /// <summary>Always <paramref name="quantity"/> units (positive, finite).</summary>
    public static Sizing FixedQuantity(double quantity)
    {
        if (!(quantity > 0) || double.IsInfinity(quantity))
        {
            throw new ArgumentOutOfRangeException(nameof(quantity), quantity, "quantity must be positive and finite");
        }

        return new Sizing(true, quantity);
    }

    /// <summary>Units worth <paramref name="fraction"/> of equity at the last close (0 &lt; fraction ≤ 10; above 1 is leverage).</summary>
    public static Sizing FractionOfEquity(double fraction)
    {
        if (!(fraction > 0) || fraction > 10)
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "fraction of equity must be above 0 and at most 10");
        }

        return new Sizing(false, fraction);
    }

    /// <summary>The (positive) quantity this sizing gives for <paramref name="series"/> now.</summary>
    public double QuantityFor(StrategyContext context, int series)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (IsFixedQuantity)
        {
            return Value;
        }

        var price = context.LastPrice(series);
        if (!(price > 0))
        {
            throw new InvalidOperationException($"no positive last price for {context.Symbols[series]} to size against");
        }

        return Value * context.Equity / price;
    }

    public override string ToString() => IsFixedQuantity ? FormattableString.Invariant($"qty {Value}") : FormattableString.Invariant($"fraction {Value} of equity");
}
