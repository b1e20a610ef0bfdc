using System.Net;
using Gapless.Core.Ports;

namespace Gapless.Providers.Alpaca;

/// <summary>
/// How a composition root creates the Alpaca provider: once per process, so every caller shares its rate limiter.
/// </summary>
public static class AlpacaRegistration
{
    /// <summary>
    /// A provider with its own HTTP client (pooled connections, gzip, no overall timeout: the per-attempt timeout of
    /// <paramref name="options"/> applies). Dispose it at shutdown. Missing keys are not an error here: the first
    /// fetch fails with a message naming the environment variables, so a registry can offer <c>alpaca</c> to users
    /// who never use it.
    /// </summary>
    /// <param name="options">Settings; <see cref="AlpacaOptions.FromEnvironment"/> when null.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public static AlpacaProvider CreateProvider(AlpacaOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= AlpacaOptions.FromEnvironment();
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
        return new AlpacaProvider(http, options, timeProvider ?? TimeProvider.System, ownsHttp: true);
    }

    /// <summary>
    /// Registers <c>alpaca</c> in <paramref name="registry"/>, created on first use and then shared. With
    /// <paramref name="options"/> null, the options are read from the environment when the provider is first used.
    /// </summary>
    public static ProviderRegistry AddAlpaca(this ProviderRegistry registry, AlpacaOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Add(AlpacaProvider.ProviderName, () => CreateProvider(options, timeProvider));
    }
}
