using System.Globalization;
using Gapless.Core.Errors;

namespace Gapless.Backtesting.Strategies.BuiltIn;

/// <summary>
/// Reads a built-in strategy's parameters from text (<c>--param fast=5</c>), rejecting unknown names and bad values
/// with one-line messages that name the strategy, the parameter, the rule and the value. Names match ignoring case.
/// </summary>
internal sealed class StrategyParameters
{
    private readonly StrategyInfo _info;
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public StrategyParameters(StrategyInfo info, IReadOnlyDictionary<string, string>? values)
    {
        _info = info;
        foreach (var (name, value) in values ?? new Dictionary<string, string>())
        {
            if (!info.Parameters.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw Error($"unknown parameter '{name}' for strategy '{info.Name}'; its parameters are: {string.Join(", ", info.Parameters.Select(p => p.Name))}");
            }

            if (!_values.TryAdd(name, value ?? ""))
            {
                throw Error($"parameter '{name}' of strategy '{info.Name}' is given twice");
            }
        }
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public int Int(string name, int fallback, int min, int max)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw Error($"parameter '{name}' of strategy '{_info.Name}' must be a whole number from {min} to {max}, got '{text}'");
        }

        return value;
    }

    /// <summary>A number in the open-or-closed interval the caller describes in <paramref name="rule"/> and checks with <paramref name="valid"/>.</summary>
    public double Double(string name, double fallback, Func<double, bool> valid, string rule)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || !valid(value))
        {
            throw Error($"parameter '{name}' of strategy '{_info.Name}' must be {rule}, got '{text}'");
        }

        return value;
    }

    /// <summary>The entry size: <c>qty</c> (fixed quantity) or <c>fraction</c> (of equity, default 1), not both.</summary>
    public Sizing Sizing()
    {
        if (Has("qty") && Has("fraction"))
        {
            throw Error($"strategy '{_info.Name}' takes 'qty' or 'fraction', not both");
        }

        if (Has("qty"))
        {
            return Strategies.Sizing.FixedQuantity(Double("qty", 1, v => v > 0, "a positive number"));
        }

        return Strategies.Sizing.FractionOfEquity(Double("fraction", 1, v => v is > 0 and <= 10, "above 0 and at most 10"));
    }

    public static InvalidRequestException Error(string message) => new(message);

    /// <summary>The parameters every built-in takes for sizing its entries.</summary>
    public static IEnumerable<StrategyParameterInfo> SizingParameters =>
    [
        new("fraction", "1", "entry size as a fraction of equity at the signal bar's close (above 1 is leverage)"),
        new("qty", "", "entry size as a fixed quantity instead of 'fraction'"),
    ];
}
