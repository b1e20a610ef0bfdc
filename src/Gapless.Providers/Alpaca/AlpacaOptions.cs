using Gapless.Core.Ports;

namespace Gapless.Providers.Alpaca;

/// <summary>
/// Settings of the Alpaca market-data provider (stock bars, <c>data.alpaca.markets/v2</c>). Every default is the one
/// used in production; tests shorten the delays. Not thread-safe to mutate: set it up, then hand it to the provider.
/// The keys are secrets: they are sent only as the <c>APCA-API-KEY-ID</c> and <c>APCA-API-SECRET-KEY</c> headers and
/// never appear in a log, a <see cref="VendorCall"/> or an error message.
/// </summary>
public sealed class AlpacaOptions
{
    /// <summary>The real market-data host.</summary>
    public const string DefaultBaseUrl = "https://data.alpaca.markets";

    /// <summary>The environment variable holding the API key id (the name Alpaca's own SDKs read).</summary>
    public const string KeyIdEnvironmentVariable = "APCA_API_KEY_ID";

    /// <summary>The environment variable holding the API secret key (the name Alpaca's own SDKs read).</summary>
    public const string SecretKeyEnvironmentVariable = "APCA_API_SECRET_KEY";

    /// <summary>The environment variable the composition roots map to <see cref="BaseUrl"/>.</summary>
    public const string BaseUrlEnvironmentVariable = "GAPLESS_ALPACA_URL";

    /// <summary>The environment variable the composition roots map to <see cref="Feed"/> (<c>iex</c> or <c>sip</c>).</summary>
    public const string FeedEnvironmentVariable = "GAPLESS_ALPACA_FEED";

    /// <summary>The CLI option the composition roots map to <see cref="BaseUrl"/>.</summary>
    public const string BaseUrlCliOption = "--alpaca-url";

    /// <summary>Alpaca's documented limit on the free plan: 200 requests per minute (Algo Trader Plus: 10,000).</summary>
    public static readonly RateBudget FreePlanBudget = new(200, TimeSpan.FromMinutes(1));

    /// <summary>Scheme, host and port of the market-data API. Default <see cref="DefaultBaseUrl"/>.</summary>
    public Uri BaseUrl { get; set; } = new(DefaultBaseUrl);

    /// <summary>The API key id, sent as <c>APCA-API-KEY-ID</c>. Required to fetch; see <see cref="FromEnvironment"/>.</summary>
    public string? KeyId { get; set; }

    /// <summary>The API secret key, sent as <c>APCA-API-SECRET-KEY</c>. Required to fetch; never logged.</summary>
    public string? SecretKey { get; set; }

    /// <summary>
    /// The data feed. Default <see cref="AlpacaFeed.Iex"/> (IEX only, free and real time). <see cref="AlpacaFeed.Sip"/>
    /// is every US exchange; on the free plan its last 15 minutes are refused (see <see cref="FinalizationDelay"/>).
    /// </summary>
    public AlpacaFeed Feed { get; set; } = AlpacaFeed.Iex;

    /// <summary>Corporate-action adjustment of prices and volumes. Default <see cref="AlpacaAdjustment.Raw"/> (as traded).</summary>
    public AlpacaAdjustment Adjustment { get; set; } = AlpacaAdjustment.Raw;

    /// <summary>Retries after the first attempt for 429, 5xx, timeouts and broken bodies. Default 5; 0 disables retrying.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>The first retry's backoff; each later one doubles, with jitter. Default 500 ms.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest backoff between retries. Default 30 s. A 429's wait until the rate-limit reset is obeyed even when longer.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one attempt may take, from send to the end of the body. Default 30 s (a page holds up to 10,000 bars).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The rate budget assumed until an answer's <c>X-RateLimit-Limit</c> says otherwise, and declared in
    /// <see cref="ProviderCapabilities.Budget"/> for offline plans. Default <see cref="FreePlanBudget"/>.
    /// </summary>
    public RateBudget DefaultBudget { get; set; } = FreePlanBudget;

    /// <summary>
    /// Requests left unused in every rate-limit window. Default 2 (1% of 200): other tools using the same keys spend
    /// requests between two of our answers. When an answer says only this many remain, nothing is sent until its
    /// <c>X-RateLimit-Reset</c>.
    /// </summary>
    public int SafetyMargin { get; set; } = 2;

    /// <summary>How long a 429 without rate-limit headers stops every request. Default 60 s (a whole window).</summary>
    public TimeSpan DefaultRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long after a bar closes its values are final. Null (the default) means: 1 minute with
    /// <see cref="AlpacaFeed.Iex"/> (Alpaca recomputes a bar 30 s after its close to take in late-reported trades), and
    /// 16 minutes with <see cref="AlpacaFeed.Sip"/> (the free plan refuses SIP data of the last 15 minutes; one minute
    /// of margin). Set it to 1 minute for SIP on a plan that includes recent SIP data.
    /// </summary>
    public TimeSpan? FinalizationDelay { get; set; }

    /// <summary>How many requests the engine keeps in flight. Default 4.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>
    /// The most symbols one multi-symbol request names. Default 100: Alpaca documents no cap, and 100 symbols keep the
    /// URL well under the 8 KB many proxies accept.
    /// </summary>
    public int MaxSymbolsPerRequest { get; set; } = 100;

    /// <summary>
    /// The rate budget shared with other workers (a PostgreSQL store's <c>SharedRateLimits</c>), or null (the default)
    /// for this process's own limiter alone. When set, every request also spends 1 there, after the in-process limiter,
    /// under the key <c>alpaca:</c> plus the base URL's host and port; the used count an answer reports
    /// (<c>X-RateLimit-Limit</c> − <c>X-RateLimit-Remaining</c>) is reported to it, and a 429 pauses every worker until
    /// the reset. When the shared budget cannot be consulted, requests fail rather than go out uncounted.
    /// </summary>
    public ISharedRateLimits? SharedRateLimits { get; set; }

    /// <summary>The finalization delay in force: <see cref="FinalizationDelay"/>, or the feed's default.</summary>
    public TimeSpan EffectiveFinalizationDelay
        => FinalizationDelay ?? (Feed == AlpacaFeed.Sip ? TimeSpan.FromMinutes(16) : TimeSpan.FromMinutes(1));

    /// <summary>True when both keys are set.</summary>
    public bool HasKeys => !string.IsNullOrWhiteSpace(KeyId) && !string.IsNullOrWhiteSpace(SecretKey);

    /// <summary>
    /// Defaults, with the keys from <c>APCA_API_KEY_ID</c> and <c>APCA_API_SECRET_KEY</c>, the base URL from
    /// <c>GAPLESS_ALPACA_URL</c> and the feed from <c>GAPLESS_ALPACA_FEED</c> where they are set.
    /// </summary>
    /// <param name="getVariable">Reads one variable; <see cref="Environment.GetEnvironmentVariable(string)"/> when null.</param>
    /// <exception cref="ArgumentException">The URL or the feed is malformed (the message names the variable).</exception>
    public static AlpacaOptions FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var options = new AlpacaOptions
        {
            KeyId = NullIfBlank(getVariable(KeyIdEnvironmentVariable)),
            SecretKey = NullIfBlank(getVariable(SecretKeyEnvironmentVariable)),
        };
        if (NullIfBlank(getVariable(BaseUrlEnvironmentVariable)) is { } url)
        {
            options.BaseUrl = Uri.TryCreate(url, UriKind.Absolute, out var uri)
                ? uri
                : throw new ArgumentException($"{BaseUrlEnvironmentVariable} '{url}' is not an absolute URL", nameof(getVariable));
        }

        if (NullIfBlank(getVariable(FeedEnvironmentVariable)) is { } feed)
        {
            options.Feed = AlpacaWire.TryParseFeed(feed, out var parsed)
                ? parsed
                : throw new ArgumentException($"{FeedEnvironmentVariable} '{feed}' must be iex or sip", nameof(getVariable));
        }

        return options;
    }

    internal void Validate()
    {
        if (BaseUrl is null || !BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttp && BaseUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"alpaca base URL '{BaseUrl}' must be an absolute http(s) URL", nameof(BaseUrl));
        }

        if (!Enum.IsDefined(Feed))
        {
            throw new ArgumentOutOfRangeException(nameof(Feed), Feed, "alpaca feed must be iex or sip");
        }

        if (!Enum.IsDefined(Adjustment))
        {
            throw new ArgumentOutOfRangeException(nameof(Adjustment), Adjustment, "alpaca adjustment must be raw, split, dividend or all");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetries);
        ArgumentOutOfRangeException.ThrowIfNegative(SafetyMargin);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSymbolsPerRequest, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AttemptTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(BaseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(EffectiveFinalizationDelay, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(DefaultBudget);
        ArgumentOutOfRangeException.ThrowIfLessThan(DefaultBudget.Weight, 1);
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>Which consolidated feed Alpaca answers from.</summary>
public enum AlpacaFeed
{
    /// <summary><c>iex</c>: trades on IEX only; free and real time.</summary>
    Iex,

    /// <summary><c>sip</c>: every US exchange; the free plan refuses its most recent 15 minutes.</summary>
    Sip,
}

/// <summary>How Alpaca adjusts bars for corporate actions.</summary>
public enum AlpacaAdjustment
{
    /// <summary><c>raw</c>: prices and volumes as traded.</summary>
    Raw,

    /// <summary><c>split</c>: adjusted for splits.</summary>
    Split,

    /// <summary><c>dividend</c>: adjusted for dividends.</summary>
    Dividend,

    /// <summary><c>all</c>: adjusted for splits and dividends.</summary>
    All,
}
