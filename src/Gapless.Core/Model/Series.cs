namespace Gapless.Core.Model;

/// <summary>
/// One stream of bars: (provider, symbol, timeframe). The same symbol from two providers is two series.
/// Provider names are lower case (<c>binance</c>, <c>sim</c>); symbols are kept as the vendor spells them.
/// </summary>
public sealed record Series
{
    public Series(string provider, string symbol, Timeframe timeframe)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        ArgumentNullException.ThrowIfNull(timeframe);
        Preconditions.CheckArgument(
            provider.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'),
            nameof(provider),
            $"provider name '{provider}' must be lower-case letters, digits and '-'");
        Provider = provider;
        Symbol = symbol;
        Timeframe = timeframe;
    }

    public string Provider { get; }

    public string Symbol { get; }

    public Timeframe Timeframe { get; }

    public override string ToString() => $"{Provider}:{Symbol}:{Timeframe.Code}";
}
