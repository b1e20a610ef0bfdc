using Gapless.Core.Ports;
using Gapless.Providers.Binance;
using Gapless.Providers.Sim;

namespace Gapless.Cli;

/// <summary>The providers the CLI offers, configured from options and environment. Keys never leave here.</summary>
internal static class ProviderCatalog
{
    public static ProviderRegistry Create(GlobalOptions.Settings settings, TimeProvider clock)
    {
        var binance = new BinanceOptions { BaseUrl = ParseUrl(settings.BinanceUrl) ?? new Uri(BinanceOptions.DefaultBaseUrl) };
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
