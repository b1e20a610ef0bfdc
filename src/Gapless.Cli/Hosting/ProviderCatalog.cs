using Gapless.Core.Ports;
using Gapless.Providers.Alpaca;
using Gapless.Providers.Binance;
using Gapless.Providers.Csv;
using Gapless.Providers.Eodhd;
using Gapless.Providers.Polygon;
using Gapless.Providers.Sim;

namespace Gapless.Cli;

/// <summary>
/// The providers the CLI offers, configured from options and environment (keys: APCA_API_KEY_ID and
/// APCA_API_SECRET_KEY, POLYGON_API_KEY, EODHD_API_TOKEN; hosts: GAPLESS_*_URL). Each is created on first use, so a
/// command never needs the keys of vendors it does not call. Keys never leave the providers.
/// </summary>
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
            .Add(ImportedFilesProvider.ProviderName, () => new ImportedFilesProvider())
            .AddBinance(binance, clock)
            .Add(AlpacaProvider.ProviderName, () =>
            {
                var options = FromEnvironment(() => AlpacaOptions.FromEnvironment());
                options.SharedRateLimits = sharedRateLimits;
                return AlpacaRegistration.CreateProvider(options, clock);
            })
            .Add(PolygonProvider.ProviderName, () =>
            {
                var options = FromEnvironment(PolygonOptions.FromEnvironment);
                options.SharedRateLimits = sharedRateLimits;
                return PolygonRegistration.CreateProvider(options, clock);
            })
            .Add(EodhdProvider.ProviderName, () =>
            {
                var options = FromEnvironment(EodhdOptions.FromEnvironment);
                options.SharedRateLimits = sharedRateLimits;
                return EodhdRegistration.CreateProvider(options, clock);
            });
    }

    /// <summary>A vendor's settings from the environment; a malformed variable is a usage error, one line, exit 2.</summary>
    private static T FromEnvironment<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (ArgumentException ex)
        {
            // The message names the variable and what it must be; the parameter suffix is for developers.
            var message = ex.ParamName is { } param ? ex.Message.Replace($" (Parameter '{param}')", string.Empty, StringComparison.Ordinal) : ex.Message;
            throw new UsageException(message);
        }
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
