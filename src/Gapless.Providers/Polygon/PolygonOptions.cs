using System.Globalization;
using Gapless.Core.Ports;

namespace Gapless.Providers.Polygon;

/// <summary>
/// Settings of the Polygon (now also branded Massive) stocks aggregates provider. Every default is the one used in
/// production; tests shorten the delays. Not thread-safe to mutate: set it up, then hand it to the provider.
/// The API key is never written to a log, a message or the fetch log; <see cref="ToString"/> leaves it out.
/// </summary>
public sealed class PolygonOptions
{
    /// <summary>The REST host.</summary>
    public const string DefaultBaseUrl = "https://api.polygon.io";

    /// <summary>
    /// The same API under the vendor's new name: Polygon.io now also answers as Massive, and either host serves the
    /// same accounts, keys and data, so either works as <see cref="BaseUrl"/>.
    /// </summary>
    public const string MassiveBaseUrl = "https://api.massive.com";

    /// <summary>The environment variable holding the API key.</summary>
    public const string ApiKeyEnvironmentVariable = "POLYGON_API_KEY";

    /// <summary>The environment variable the composition roots map to <see cref="BaseUrl"/>.</summary>
    public const string BaseUrlEnvironmentVariable = "GAPLESS_POLYGON_URL";

    /// <summary>
    /// The environment variable the composition roots map to <see cref="RequestsPerMinute"/>: a number, or
    /// <c>unlimited</c> for paid plans.
    /// </summary>
    public const string RequestsPerMinuteEnvironmentVariable = "GAPLESS_POLYGON_REQUESTS_PER_MINUTE";

    /// <summary>The CLI option the composition roots map to <see cref="BaseUrl"/>.</summary>
    public const string BaseUrlCliOption = "--polygon-url";

    /// <summary>The free ("Basic") plan's limit: 5 requests per minute.</summary>
    public const int FreePlanRequestsPerMinute = 5;

    /// <summary>
    /// Scheme, host and port of the REST API. Default <see cref="DefaultBaseUrl"/>; <see cref="MassiveBaseUrl"/> works
    /// too. Every request, next_url pages included, goes to this host.
    /// </summary>
    public Uri BaseUrl { get; set; } = new(DefaultBaseUrl);

    /// <summary>The API key (from <see cref="ApiKeyEnvironmentVariable"/> with <see cref="FromEnvironment"/>). Required to fetch.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Send the key as the <c>apiKey</c> query parameter instead of the <c>Authorization: Bearer</c> header (the
    /// default). Polygon's <c>next_url</c> never carries the key: it is added back to every page either way, and
    /// removed from every request the fetch log records.
    /// </summary>
    public bool SendKeyInQuery { get; set; }

    /// <summary>
    /// Requests per minute the plan allows, counted over any rolling minute. Default 5 (the free plan); null for paid
    /// plans, which are unlimited. Every request spends one, next_url pages and retries included.
    /// </summary>
    public int? RequestsPerMinute { get; set; } = FreePlanRequestsPerMinute;

    /// <summary>
    /// How long a 429 stops every request when the answer has no Retry-After (Polygon's usually has none). Default
    /// 60 s: one whole rolling minute after the refusal, every request the vendor counted against us has aged out.
    /// </summary>
    public TimeSpan DefaultRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Ask for split-adjusted aggregates (<c>adjusted=true</c>, Polygon's default). Default true.</summary>
    /// <remarks>
    /// Adjusted bars change when a later split happens; bars already stored keep the adjustment of the day they were
    /// fetched. Use false for raw prices that never change.
    /// </remarks>
    public bool Adjusted { get; set; } = true;

    /// <summary>Retries after the first attempt for 429, 5xx, timeouts and broken bodies. Default 5; 0 disables retrying.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>The first retry's backoff; each later one doubles, with jitter. Default 500 ms.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest backoff between retries. Default 30 s. A 429's pause is obeyed even when longer.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one attempt may take, from send to the end of the body. Default 30 s (a 50,000-bar page is ~5 MB).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long after an aggregate's close the plan serves its final value. Default 15 minutes: the free and Starter
    /// plans are 15-minute delayed (answers say <c>"status":"DELAYED"</c>). Real-time plans may lower it (keep a
    /// minute or two for late trade reports). The provider declares one hour more in
    /// <see cref="ProviderCapabilities.FinalizationDelay"/>: a daily bar, stamped 00:00 UTC of its New York date,
    /// keeps trading until the post-market close at 20:00 New York time, up to 01:00 UTC the next day.
    /// </summary>
    public TimeSpan FinalizationDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How many requests the engine keeps in flight. Default 4; the rate limit, not this, paces a free plan.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>
    /// The rate budget shared with other workers (a PostgreSQL store's <c>SharedRateLimits</c>), or null (the default)
    /// for this process's own limiter alone. When set and <see cref="RequestsPerMinute"/> is not null, every request
    /// also spends one request there, per minute window, under the key <c>polygon:key-</c> plus a short fingerprint
    /// of the API key (the limit is per account, whichever host is used; the key itself is never stored), and a 429
    /// pauses every worker. When the shared budget cannot be consulted, requests fail rather than go out uncounted.
    /// </summary>
    public ISharedRateLimits? SharedRateLimits { get; set; }

    /// <summary>
    /// Defaults with the key from <see cref="ApiKeyEnvironmentVariable"/>, the base URL from
    /// <see cref="BaseUrlEnvironmentVariable"/> and the rate limit from <see cref="RequestsPerMinuteEnvironmentVariable"/>
    /// where set.
    /// </summary>
    /// <exception cref="ArgumentException">A variable is set to something that does not parse.</exception>
    public static PolygonOptions FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    /// <summary><see cref="FromEnvironment()"/> reading variables through <paramref name="variable"/> (tests).</summary>
    public static PolygonOptions FromEnvironment(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var options = new PolygonOptions();
        if (variable(ApiKeyEnvironmentVariable) is { Length: > 0 } key)
        {
            options.ApiKey = key.Trim();
        }

        if (variable(BaseUrlEnvironmentVariable) is { Length: > 0 } url)
        {
            options.BaseUrl = Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)
                ? uri
                : throw new ArgumentException($"{BaseUrlEnvironmentVariable} '{url}' is not an absolute URL; use for example {DefaultBaseUrl}");
        }

        if (variable(RequestsPerMinuteEnvironmentVariable) is { Length: > 0 } rate)
        {
            options.RequestsPerMinute = rate.Trim().Equals("unlimited", StringComparison.OrdinalIgnoreCase) ? null
                : int.TryParse(rate, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
                : throw new ArgumentException($"{RequestsPerMinuteEnvironmentVariable} '{rate}' must be a positive number of requests per minute, or 'unlimited'");
        }

        return options;
    }

    /// <summary>The settings that matter in a log line; never the key.</summary>
    public override string ToString()
        => string.Create(
            CultureInfo.InvariantCulture,
            $"polygon {BaseUrl.GetLeftPart(UriPartial.Authority)}, key {(string.IsNullOrEmpty(ApiKey) ? "missing" : "set")}, {(RequestsPerMinute is { } n ? $"{n} requests/min" : "unlimited")}, adjusted={Adjusted}");

    internal void Validate()
    {
        if (BaseUrl is null || !BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttp && BaseUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"polygon base URL '{BaseUrl}' must be an absolute http(s) URL", nameof(BaseUrl));
        }

        // Checked here so a bad key never reaches an HTTP header parser, whose error would quote it.
        if (ApiKey is { } key && key.Trim().Any(c => c is < '!' or > '~'))
        {
            throw new ArgumentException(
                $"the polygon API key holds a space or a character an HTTP request cannot carry; check {ApiKeyEnvironmentVariable}", nameof(ApiKey));
        }

        if (RequestsPerMinute is { } rate)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(rate, 1, nameof(RequestsPerMinute));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetries);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AttemptTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(BaseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(FinalizationDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(DefaultRetryAfter, TimeSpan.Zero);
    }
}
