using Gapless.Backtesting.Strategies.BuiltIn;
using Gapless.Core.Errors;

namespace Gapless.Backtesting.Strategies;

/// <summary>
/// The strategies that ship with Gapless, by name, with their parameters as text (what <c>--param k=v</c> gives).
/// Each is long-only, trades each series on its own, enters with a market order sized by <c>fraction</c> of equity
/// (default 1: all in; with several series use 1/N) or a fixed <c>qty</c>, and exits with a market order; orders
/// fill at the next bar's open. Every <c>Create</c> returns a fresh instance; its <c>ToString()</c> shows the
/// parameters in effect.
/// </summary>
public static class BuiltInStrategies
{
    public const string SmaCross = "sma-cross";
    public const string RsiReversion = "rsi-reversion";
    public const string Breakout = "breakout";

    private static readonly StrategyInfo[] Infos =
    [
        new(
            SmaCross,
            "Long when the fast simple moving average of closes crosses above the slow one; flat when it crosses below.",
            [
                new("fast", "10", "fast SMA length in bars"),
                new("slow", "30", "slow SMA length in bars, more than fast"),
                .. StrategyParameters.SizingParameters,
            ]),
        new(
            RsiReversion,
            "Wilder's RSI of closes: buy when it is below 'low', exit when it is above 'high'.",
            [
                new("period", "14", "RSI period in bars"),
                new("low", "30", "buy below this RSI (0-100)"),
                new("high", "70", "exit above this RSI (0-100), more than low"),
                .. StrategyParameters.SizingParameters,
            ]),
        new(
            Breakout,
            "Buy when a bar closes above the highest high of the previous 'lookback' bars; exit when one closes below their lowest low.",
            [
                new("lookback", "20", "bars in the channel, not counting the signal bar"),
                .. StrategyParameters.SizingParameters,
            ]),
    ];

    /// <summary>The names, as users type them.</summary>
    public static IReadOnlyList<string> Names { get; } = Array.ConvertAll(Infos, i => i.Name);

    /// <summary>Every built-in strategy with its parameters and defaults.</summary>
    public static IReadOnlyList<StrategyInfo> All => Infos;

    /// <summary>The description of <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="InvalidRequestException">No built-in strategy has that name.</exception>
    public static StrategyInfo Describe(string name)
        => Array.Find(Infos, i => string.Equals(i.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidRequestException($"unknown strategy '{name}'; built-in strategies: {string.Join(", ", Names)}");

    /// <summary>A new instance of the strategy <paramref name="name"/> with <paramref name="parameters"/> (missing ones take their defaults).</summary>
    /// <exception cref="InvalidRequestException">
    /// Unknown strategy or parameter, a value that does not parse or is out of range, or values that contradict each
    /// other (slow not above fast); the message says which and what is allowed.
    /// </exception>
    public static IStrategy Create(string name, IReadOnlyDictionary<string, string>? parameters = null)
    {
        var info = Describe(name);
        var p = new StrategyParameters(info, parameters);
        switch (info.Name)
        {
            case SmaCross:
            {
                var fast = p.Int("fast", 10, 1, 100_000);
                var slow = p.Int("slow", 30, 2, 100_000);
                if (slow <= fast)
                {
                    throw StrategyParameters.Error($"parameter 'slow' ({slow}) of strategy '{SmaCross}' must be greater than 'fast' ({fast})");
                }

                return new SmaCrossStrategy(fast, slow, p.Sizing());
            }

            case RsiReversion:
            {
                var period = p.Int("period", 14, 1, 100_000);
                var low = p.Double("low", 30, v => v is > 0 and < 100, "a number between 0 and 100");
                var high = p.Double("high", 70, v => v is > 0 and < 100, "a number between 0 and 100");
                if (high <= low)
                {
                    throw StrategyParameters.Error($"parameter 'high' ({high}) of strategy '{RsiReversion}' must be greater than 'low' ({low})");
                }

                return new RsiReversionStrategy(period, low, high, p.Sizing());
            }

            default:
                return new BreakoutStrategy(p.Int("lookback", 20, 1, 100_000), p.Sizing());
        }
    }
}

/// <summary>A built-in strategy: its name, what it does, and its parameters.</summary>
public sealed record StrategyInfo(string Name, string Description, IReadOnlyList<StrategyParameterInfo> Parameters);

/// <summary>One parameter of a built-in strategy; <paramref name="Default"/> is empty when it has none.</summary>
public sealed record StrategyParameterInfo(string Name, string Default, string Description);
