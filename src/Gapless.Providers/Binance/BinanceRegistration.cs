using System.Net;
using Gapless.Core.Ports;

namespace Gapless.Providers.Binance;

/// <summary>
/// How a composition root creates the Binance provider: once per process, so every caller shares its rate limiter.
/// </summary>
public static class BinanceRegistration
{
    /// <summary>
    /// A provider with its own HTTP client (pooled connections, no overall timeout: the per-attempt timeout of
    /// <paramref name="options"/> applies). Dispose it at shutdown.
    /// </summary>
    /// <param name="options">Settings; defaults when null.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public static BinanceProvider CreateProvider(BinanceOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= new BinanceOptions();
        options.Validate();
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = options.AttemptTimeout,
            AutomaticDecompression = DecompressionMethods.All,
            MaxConnectionsPerServer = Math.Max(options.MaxConcurrency, 2),
        };
        var http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("gapless/1.0");
        return new BinanceProvider(http, options, timeProvider ?? TimeProvider.System, ownsHttp: true);
    }

    /// <summary>Registers <c>binance</c> in <paramref name="registry"/>, created on first use and then shared.</summary>
    public static ProviderRegistry AddBinance(this ProviderRegistry registry, BinanceOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Add(BinanceProvider.ProviderName, () => CreateProvider(options, timeProvider));
    }
}
