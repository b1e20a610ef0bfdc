using Gapless.Core.Model;

namespace Gapless.Cli;

/// <summary>Turns the selector options into a <see cref="Series"/>, with messages that say what to type instead.</summary>
internal static class SeriesInput
{
    public static Series Parse(string? provider, string? symbol, string? timeframe)
    {
        if (string.IsNullOrWhiteSpace(provider))
        {
            throw new UsageException("--provider is required (for example --provider sim or --provider binance)");
        }

        if (string.IsNullOrWhiteSpace(symbol))
        {
            throw new UsageException("--symbol is required (for example --symbol BTCUSDT)");
        }

        return new Series(provider.Trim().ToLowerInvariant(), symbol.Trim(), ParseTimeframe(timeframe)
            ?? throw new UsageException($"--timeframe is required; use one of {AllCodes}"));
    }

    public static Timeframe? ParseTimeframe(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        return Timeframe.TryParse(code.Trim(), out var tf)
            ? tf
            : throw new UsageException($"unknown timeframe '{code}'; use one of {AllCodes}");
    }

    private static string AllCodes => string.Join(' ', Timeframe.All.Select(t => t.Code));
}
