using System.Net;
using Gapless.Core.Ports;

namespace Gapless.Providers.Eodhd;

/// <summary>
/// How a composition root creates the EODHD provider: once per process, so every caller shares its allowance and
/// rate limiters.
/// </summary>
public static class EodhdRegistration
{
    /// <summary>
    /// A provider with its own HTTP client (pooled connections, no overall timeout: the per-attempt timeout of
    /// <paramref name="options"/> applies). Dispose it at shutdown.
    /// </summary>
    /// <param name="options">Settings; <see cref="EodhdOptions.FromEnvironment()"/> when null.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public static EodhdProvider CreateProvider(EodhdOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= EodhdOptions.FromEnvironment();
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
        return new EodhdProvider(http, options, timeProvider ?? TimeProvider.System, ownsHttp: true);
    }

    /// <summary>
    /// Registers <c>eodhd</c> in <paramref name="registry"/>, created on first use and then shared. Registering never
    /// fails for want of a token: without one, fetches fail with a message naming <c>EODHD_API_TOKEN</c>.
    /// </summary>
    /// <param name="registry">The registry.</param>
    /// <param name="options">Settings; <see cref="EodhdOptions.FromEnvironment()"/> (read on first use) when null.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public static ProviderRegistry AddEodhd(this ProviderRegistry registry, EodhdOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Add(EodhdProvider.ProviderName, () => CreateProvider(options, timeProvider));
    }
}
