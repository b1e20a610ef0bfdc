using Gapless.Core.Ports;

namespace Gapless.Providers.Eodhd;

/// <summary>
/// Settings of the EODHD intraday provider. Every default is the one used in production; tests shorten the delays.
/// Not thread-safe to mutate: set it up, then hand it to the provider. The API token is a secret: it travels only in
/// the query string of the requests themselves and is never logged, stored or put in a message.
/// </summary>
public sealed class EodhdOptions
{
    /// <summary>The real REST host.</summary>
    public const string DefaultBaseUrl = "https://eodhd.com";

    /// <summary>The environment variable <see cref="FromEnvironment()"/> reads the API token from.</summary>
    public const string ApiTokenEnvironmentVariable = "EODHD_API_TOKEN";

    /// <summary>The environment variable <see cref="FromEnvironment()"/> reads <see cref="BaseUrl"/> from, when set.</summary>
    public const string BaseUrlEnvironmentVariable = "GAPLESS_EODHD_URL";

    /// <summary>EODHD's daily allowance of API calls on paid plans.</summary>
    public const int DefaultDailyAllowance = 100_000;

    /// <summary>EODHD's daily allowance of API calls on the free plan.</summary>
    public const int FreePlanDailyAllowance = 20;

    /// <summary>Scheme, host and port of the REST API. Default <see cref="DefaultBaseUrl"/>.</summary>
    public Uri BaseUrl { get; set; } = new(DefaultBaseUrl);

    /// <summary>
    /// The API token (<c>api_token</c>), or null. Without one the provider still plans offline, but every fetch fails
    /// at once, before any request, with a message naming <see cref="ApiTokenEnvironmentVariable"/>.
    /// </summary>
    public string? ApiToken { get; set; }

    /// <summary>
    /// API calls this process may spend per UTC day (EODHD resets the allowance at midnight UTC). Each intraday
    /// request costs 5 calls, so the default of 100,000 (<see cref="DefaultDailyAllowance"/>) allows 20,000 requests;
    /// the free plan's 20 (<see cref="FreePlanDailyAllowance"/>) allows 4. When it is spent, fetches fail at once with
    /// a message saying when the allowance resets, rather than asking EODHD for a refusal. At least 5.
    /// </summary>
    public int DailyAllowance { get; set; } = DefaultDailyAllowance;

    /// <summary>EODHD's limit of requests per minute (any endpoint). Default 1000.</summary>
    public int MinuteRequestLimit { get; set; } = 1000;

    /// <summary>Requests left unused in every minute window, for other tools on the same token. Default 10.</summary>
    public int SafetyMarginRequests { get; set; } = 10;

    /// <summary>Retries after the first attempt for 429, 5xx, timeouts and broken bodies. Default 5; 0 disables retrying.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>The first retry's backoff; each later one doubles, with jitter. Default 500 ms.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest backoff between retries. Default 30 s. A 429's Retry-After is obeyed even when longer.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one attempt may take, from send to the end of the body. Default 60 s: 120 days of 1m bars with
    /// extended hours is about 80,000 rows, some 12 MB of JSON.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a 429 without a Retry-After header stops every request. Default 60 s (a whole minute window).</summary>
    public TimeSpan DefaultRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long after the close of a bar's session EODHD's values are final. Default 3 hours: EODHD publishes a day's
    /// intraday bars 2–3 hours after the close (for US tickers, after the end of after-hours trading). Declared with
    /// <see cref="ProviderCapabilities.FinalizesAfterSessionClose"/>, so the engine counts it from the session's close.
    /// </summary>
    public TimeSpan FinalizationDelay { get; set; } = TimeSpan.FromHours(3);

    /// <summary>How many intraday requests the engine keeps in flight. Default 4.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>
    /// The rate budgets shared with other workers (a PostgreSQL store's <c>SharedRateLimits</c>), or null (the default)
    /// for this process's own limiters alone. When set, every request also spends, under the key <c>eodhd:</c> plus the
    /// base URL's host and port, 5 calls of the daily allowance (a one-day window from midnight UTC) and one request
    /// of the minute limit, and waits while either is spent or a pause is in force; a 429 pauses every worker for its
    /// Retry-After, and a used-up allowance pauses them until midnight UTC. A wait longer than 5 minutes (the
    /// allowance is gone for the day) fails requests at once instead. When the shared budget cannot be consulted,
    /// requests fail rather than go out uncounted.
    /// </summary>
    public ISharedRateLimits? SharedRateLimits { get; set; }

    /// <summary>
    /// Defaults, with <see cref="ApiToken"/> from <c>EODHD_API_TOKEN</c> and <see cref="BaseUrl"/> from
    /// <c>GAPLESS_EODHD_URL</c> when they are set.
    /// </summary>
    /// <exception cref="ArgumentException"><c>GAPLESS_EODHD_URL</c> is not an absolute http(s) URL.</exception>
    public static EodhdOptions FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>As <see cref="FromEnvironment()"/>, reading variables through <paramref name="variable"/>.</summary>
    public static EodhdOptions FromEnvironment(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var options = new EodhdOptions();
        var token = variable(ApiTokenEnvironmentVariable)?.Trim();
        options.ApiToken = string.IsNullOrEmpty(token) ? null : token;
        var url = variable(BaseUrlEnvironmentVariable)?.Trim();
        if (!string.IsNullOrEmpty(url))
        {
            options.BaseUrl = Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"
                ? parsed
                : throw new ArgumentException($"{BaseUrlEnvironmentVariable} '{url}' is not an absolute http(s) URL, e.g. {DefaultBaseUrl}", nameof(variable));
        }

        return options;
    }

    internal void Validate()
    {
        if (BaseUrl is null || !BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttp && BaseUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"eodhd base URL '{BaseUrl}' must be an absolute http(s) URL", nameof(BaseUrl));
        }

        if (DailyAllowance < EodhdRequest.CallsPerRequest)
        {
            throw new ArgumentOutOfRangeException(
                nameof(DailyAllowance), DailyAllowance, $"the daily allowance must hold at least one intraday request ({EodhdRequest.CallsPerRequest} API calls)");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MinuteRequestLimit, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(SafetyMarginRequests);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetries);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AttemptTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(BaseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(DefaultRetryAfter, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(FinalizationDelay, TimeSpan.Zero);
    }
}
