using Gapless.Core.Ports;
using Gapless.Providers.Binance;
using Gapless.Providers.Sim;

namespace Gapless.Cli;

/// <summary>The providers the CLI offers, configured from options and environment. Keys never leave here.</summary>
internal static class ProviderCatalog
{
    /// <param name="settings">Options and environment of this invocation.</param>
    /// <param name="clock">Now.</param>
    /// <param name="sharedRateLimits">The shared store's rate budgets, so workers together stay inside each vendor's limit; null for a store of one process.</param>
    public static ProviderRegistry Create(GlobalOptions.Settings settings, TimeProvider clock, ISharedRateLimits? sharedRateLimits)
    {
        var binance = new BinanceOptions
        {
            BaseUrl = ParseUrl(settings.BinanceUrl) ?? new Uri(BinanceOptions.DefaultBaseUrl),
            SharedRateLimits = sharedRateLimits,
        };
        return new ProviderRegistry()
            .Add("sim", () => new SimProvider(new SimOptions(), clock))
            .AddBinance(binance, clock);
    }

    private static Uri? ParseUrl(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new UsageException($"--binance-url '{text}' is not an absolute http(s) URL, e.g. https://data-api.binance.vision");
    }
}
