using System.Net;
using Gapless.Core.Ports;

namespace Gapless.Providers.Polygon;

/// <summary>
/// How a composition root creates the Polygon provider: once per process, so every caller shares its rate limiter.
/// </summary>
public static class PolygonRegistration
{
    /// <summary>
    /// A provider with its own HTTP client (pooled connections, no overall timeout: the per-attempt timeout of
    /// <paramref name="options"/> applies). Dispose it at shutdown.
    /// </summary>
    /// <param name="options">Settings; <see cref="PolygonOptions.FromEnvironment()"/> when null.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public static PolygonProvider CreateProvider(PolygonOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= PolygonOptions.FromEnvironment();
        options.Validate();
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = options.AttemptTimeout,
            AutomaticDecompression = DecompressionMethods.All,
            MaxConnectionsPerServer = Math.Max(options.MaxConcurrency, 2),

            // The key travels in a header; a redirect to another host must not carry it, so none is followed.
            AllowAutoRedirect = false,
        };
        var http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("gapless/1.0");
        return new PolygonProvider(http, options, timeProvider ?? TimeProvider.System, ownsHttp: true);
    }

    /// <summary>Registers <c>polygon</c> in <paramref name="registry"/>, created on first use and then shared.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="options">Settings; <see cref="PolygonOptions.FromEnvironment()"/> when null.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public static ProviderRegistry AddPolygon(this ProviderRegistry registry, PolygonOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Add(PolygonProvider.ProviderName, () => CreateProvider(options, timeProvider));
    }
}
