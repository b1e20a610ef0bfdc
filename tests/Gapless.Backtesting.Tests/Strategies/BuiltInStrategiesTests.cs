using Gapless.Backtesting.Strategies;
using Gapless.Core.Errors;

namespace Gapless.Backtesting.Tests.Strategies;

public sealed class BuiltInStrategiesTests
{
    private static string ErrorOf(string name, params (string Key, string Value)[] parameters)
        => Assert.Throws<InvalidRequestException>(() => BuiltInStrategies.Create(name, parameters.ToDictionary(p => p.Key, p => p.Value))).Message;

    [Fact]
    public void Names_ListTheThreeBuiltIns()
        => Assert.Equal(["sma-cross", "rsi-reversion", "breakout"], BuiltInStrategies.Names);

    [Fact]
    public void Defaults_AreDocumentedAndApplied()
    {
        Assert.Equal("sma-cross fast=10 slow=30 fraction=1", BuiltInStrategies.Create("sma-cross").ToString());
        Assert.Equal("rsi-reversion period=14 low=30 high=70 fraction=1", BuiltInStrategies.Create("RSI-Reversion", new Dictionary<string, string>()).ToString());
        Assert.Equal("breakout lookback=20 qty=0.5", BuiltInStrategies.Create("breakout", new Dictionary<string, string> { ["QTY"] = "0.5" }).ToString());
        Assert.Equal(["10", "30", "1", ""], BuiltInStrategies.Describe("sma-cross").Parameters.Select(p => p.Default));
        Assert.Equal(30, BuiltInStrategies.Create("sma-cross").WarmupBars);
    }

    [Fact]
    public void UnknownStrategy_ListsTheNames()
        => Assert.Equal("unknown strategy 'sma'; built-in strategies: sma-cross, rsi-reversion, breakout", ErrorOf("sma"));

    [Fact]
    public void UnknownParameter_ListsTheStrategysParameters()
        => Assert.Equal(
            "unknown parameter 'fsat' for strategy 'sma-cross'; its parameters are: fast, slow, fraction, qty",
            ErrorOf("sma-cross", ("fsat", "5")));

    [Theory]
    [InlineData("sma-cross", "fast", "abc", "parameter 'fast' of strategy 'sma-cross' must be a whole number from 1 to 100000, got 'abc'")]
    [InlineData("sma-cross", "fast", "0", "parameter 'fast' of strategy 'sma-cross' must be a whole number from 1 to 100000, got '0'")]
    [InlineData("sma-cross", "slow", "2.5", "parameter 'slow' of strategy 'sma-cross' must be a whole number from 2 to 100000, got '2.5'")]
    [InlineData("rsi-reversion", "low", "-1", "parameter 'low' of strategy 'rsi-reversion' must be a number between 0 and 100, got '-1'")]
    [InlineData("rsi-reversion", "high", "NaN", "parameter 'high' of strategy 'rsi-reversion' must be a number between 0 and 100, got 'NaN'")]
    [InlineData("breakout", "lookback", "", "parameter 'lookback' of strategy 'breakout' must be a whole number from 1 to 100000, got ''")]
    [InlineData("breakout", "fraction", "0", "parameter 'fraction' of strategy 'breakout' must be above 0 and at most 10, got '0'")]
    [InlineData("breakout", "qty", "-3", "parameter 'qty' of strategy 'breakout' must be a positive number, got '-3'")]
    public void InvalidValue_SaysTheRuleAndTheValue(string strategy, string key, string value, string message)
        => Assert.Equal(message, ErrorOf(strategy, (key, value)));

    [Fact]
    public void ContradictoryValues_AreRefused()
    {
        Assert.Equal("parameter 'slow' (10) of strategy 'sma-cross' must be greater than 'fast' (10)", ErrorOf("sma-cross", ("fast", "10"), ("slow", "10")));
        Assert.Equal("parameter 'slow' (20) of strategy 'sma-cross' must be greater than 'fast' (50)", ErrorOf("sma-cross", ("fast", "50"), ("slow", "20")));
        Assert.Equal("parameter 'high' (30) of strategy 'rsi-reversion' must be greater than 'low' (40)", ErrorOf("rsi-reversion", ("low", "40"), ("high", "30")));
        Assert.Equal("strategy 'breakout' takes 'qty' or 'fraction', not both", ErrorOf("breakout", ("qty", "1"), ("fraction", "0.5")));
    }

    [Fact]
    public void SameParameterTwiceInDifferentCase_IsRefused()
        => Assert.Equal("parameter 'FAST' of strategy 'sma-cross' is given twice", ErrorOf("sma-cross", ("fast", "5"), ("FAST", "6")));
}
