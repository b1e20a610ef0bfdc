using Gapless.Core.Ports;

namespace Gapless.Providers.Binance;

/// <summary>
/// Settings of the Binance spot provider. Every default is the one used in production; tests shorten the delays.
/// Not thread-safe to mutate: set it up, then hand it to the provider.
/// </summary>
public sealed class BinanceOptions
{
    /// <summary>The real REST host.</summary>
    public const string DefaultBaseUrl = "https://api.binance.com";

    /// <summary>Binance's key-less market-data host, for places where api.binance.com answers 451.</summary>
    public const string MarketDataBaseUrl = "https://data-api.binance.vision";

    /// <summary>The environment variable the composition roots map to <see cref="BaseUrl"/>.</summary>
    public const string BaseUrlEnvironmentVariable = "GAPLESS_BINANCE_URL";

    /// <summary>The CLI option the composition roots map to <see cref="BaseUrl"/>.</summary>
    public const string BaseUrlCliOption = "--binance-url";

    /// <summary>Scheme, host and port of the REST API. Default <see cref="DefaultBaseUrl"/>.</summary>
    public Uri BaseUrl { get; set; } = new(DefaultBaseUrl);

    /// <summary>Retries after the first attempt for 429, 5xx, timeouts and broken bodies. Default 5; 0 disables retrying.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>The first retry's backoff; each later one doubles, with jitter. Default 500 ms.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest backoff between retries. Default 30 s. A 429's Retry-After is obeyed even when longer.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one attempt may take, from send to the end of the body. Default 15 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Request weight left unused in every rate-limit window. Default 60 (1% of 6000): our clock and Binance's
    /// may put a request sent at a window's edge in different windows, and other tools on the same IP spend weight
    /// between two of our answers.
    /// </summary>
    public int SafetyMarginWeight { get; set; } = 60;

    /// <summary>
    /// The budget assumed until <c>exchangeInfo</c> has been read, and declared in
    /// <see cref="ProviderCapabilities.Budget"/> for offline plans. Default 6000 weight per minute, Binance's
    /// published spot limit.
    /// </summary>
    public RateBudget DefaultBudget { get; set; } = new(6000, TimeSpan.FromMinutes(1));

    /// <summary>How long a 429 without a Retry-After header stops every request. Default 60 s (a whole minute window).</summary>
    public TimeSpan DefaultRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long after a kline's close its values are final. Default 5 s: Binance builds klines from its trade
    /// stream asynchronously, so an answer sent right at the close can still miss the last trades of the interval.
    /// </summary>
    public TimeSpan FinalizationDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many klines requests the engine keeps in flight. Default 4: more buys nothing under a weight limit.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>
    /// The rate budget shared with other workers (a PostgreSQL store's <c>SharedRateLimits</c>), or null (the
    /// default) for this process's own limiter alone. When set, every request also spends its weight there, after the
    /// in-process limiter, under the key <c>binance:</c> plus the base URL's host and port (each host has its own
    /// budget), and waits while the budget is spent or a pause is in force; every answer's used weight is reported
    /// to it, and a 429's Retry-After or a 418's ban pauses every worker. A pause longer than 5 minutes (a ban) fails
    /// requests at once instead of waiting. When the shared budget cannot be consulted, requests fail rather than go
    /// out uncounted.
    /// </summary>
    public ISharedRateLimits? SharedRateLimits { get; set; }

    internal void Validate()
    {
        if (BaseUrl is null || !BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttp && BaseUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"binance base URL '{BaseUrl}' must be an absolute http(s) URL", nameof(BaseUrl));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetries);
        ArgumentOutOfRangeException.ThrowIfNegative(SafetyMarginWeight);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AttemptTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(BaseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(FinalizationDelay, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(DefaultBudget);
    }
}
