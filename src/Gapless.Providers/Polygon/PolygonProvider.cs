using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;

namespace Gapless.Providers.Polygon;

/// <summary>
/// Polygon stock aggregates (<c>GET /v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/{from}/{to}</c>) as an
/// <see cref="IBarProvider"/>. One instance per process: its rate limiter and 429 pause are shared by every fetch, so
/// create it once in the composition root (<see cref="PolygonRegistration"/>). A chunk is asked for in requests of at
/// most 50,000 base aggregates each (see <see cref="PolygonRequest.Split"/>), each followed through its
/// <c>next_url</c> pages. Aggregates cover the extended session (04:00–20:00 New York), hence the calendar
/// <c>XNYS-extended</c>. An unknown ticker is not an error at Polygon: it answers like a ticker with no trades (no
/// <c>results</c>), and so does this provider. Bars not yet final at the vendor (see
/// <see cref="PolygonOptions.FinalizationDelay"/>) are left out. Thread-safe.
/// </summary>
public sealed class PolygonProvider : IBarProvider, IDisposable
{
    /// <summary>The provider's name as users type it.</summary>
    public const string ProviderName = "polygon";

    /// <summary>The calendar of what Polygon aggregates hold: NYSE days, pre-market to post-market.</summary>
    public const string CalendarName = "XNYS-extended";

    private readonly PolygonClient _client;
    private readonly PolygonOptions _options;
    private readonly TimeProvider _time;
    private readonly HttpClient? _ownedHttp;

    /// <summary>A provider sending through <paramref name="http"/>, which the caller owns and disposes.</summary>
    /// <param name="http">The HTTP client; its base address and timeout are not used (see <see cref="PolygonOptions"/>).</param>
    /// <param name="options">Settings; validated here and not read again after construction.</param>
    /// <param name="timeProvider">The clock for rate limits, retries, timeouts and finality.</param>
    public PolygonProvider(HttpClient http, PolygonOptions options, TimeProvider timeProvider)
        : this(http, options, timeProvider, ownsHttp: false)
    {
    }

    internal PolygonProvider(HttpClient http, PolygonOptions options, TimeProvider timeProvider, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        _options = options;
        _time = timeProvider;
        _ownedHttp = ownsHttp ? http : null;
        _client = new PolygonClient(http, options, timeProvider);
        BaseUrl = options.BaseUrl;
        Capabilities = new ProviderCapabilities(
            MaxBarsPerRequest: PolygonRequest.MaxBaseAggregates,
            RequestWeight: PolygonClient.RequestWeight,
            Budget: options.RequestsPerMinute is { } perMinute ? new RateBudget(perMinute, TimeSpan.FromMinutes(1)) : null,
            Timeframes: PolygonTimespan.Served,
            FinalizationDelay: options.FinalizationDelay,
            Calendar: CalendarName,
            MaxConcurrency: options.MaxConcurrency,
            MaxSpanByTimeframe: PolygonTimespan.Served
                .Where(tf => tf.IsFixedLength && tf.NominalLengthMs < TimeSpan.TicksPerDay / TimeSpan.TicksPerMillisecond)
                .ToDictionary(tf => tf, _ => TimeSpan.FromMinutes(PolygonRequest.MaxBaseAggregates)));
    }

    public string Name => ProviderName;

    /// <summary>
    /// What the engine plans with. A request carries at most 50,000 base aggregates (minute bars under intraday
    /// bars), so an intraday chunk spans at most 50,000 minutes and the plan's request count is the real one. The
    /// engine's horizon keeps a daily bar out until its extended session has closed (it runs past 00:00 UTC).
    /// </summary>
    public ProviderCapabilities Capabilities { get; }

    /// <summary>The host requests go to.</summary>
    public Uri BaseUrl { get; }

    internal PolygonClient Client => _client;

    /// <summary>
    /// The aggregates with open time in <paramref name="chunk"/>, ascending: one request per part of
    /// <see cref="PolygonRequest.Split"/>, each followed through its <c>next_url</c> pages until the last.
    /// </summary>
    /// <exception cref="InvalidRequestException">Polygon does not serve the series' timeframe (<c>3d</c>).</exception>
    /// <exception cref="VendorException">Polygon refused or failed after retries; no key in the message.</exception>
    public async Task<IReadOnlyList<Bar>> FetchAsync(Series series, TimeRange chunk, VendorCallLog calls, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(calls);
        var tf = series.Timeframe;
        if (!PolygonTimespan.Serves(tf))
        {
            throw new InvalidRequestException($"polygon does not serve timeframe {tf}; use one of {string.Join(' ', PolygonTimespan.Served)}");
        }

        if (tf.CountBars(chunk) == 0)
        {
            return [];
        }

        var bars = new List<Bar>();
        foreach (var part in PolygonRequest.Split(chunk, tf))
        {
            var request = PolygonRequest.Aggs(series.Symbol, tf, part, _options.Adjusted);
            var asked = new HashSet<string>(StringComparer.Ordinal) { request };
            while (true)
            {
                var page = await _client.GetPageAsync(request, series.Symbol, tf, calls, cancellationToken).ConfigureAwait(false);
                bars.AddRange(page.Bars);
                if (page.NextUrl is not { Length: > 0 } next)
                {
                    break;
                }

                var description = Http.RequestDescription.Of(request);
                request = PolygonNextUrl.Resolve(next, _options.BaseUrl, description);
                if (!asked.Add(request))
                {
                    throw new VendorException(
                        PolygonErrors.Vendor, VendorErrorKind.Refused,
                        $"polygon answered {description} with a next_url it had already sent ({Http.RequestDescription.Of(request)}); stopped instead of looping");
                }
            }
        }

        return Finished(bars, chunk, tf);
    }

    public void Dispose() => _ownedHttp?.Dispose();

    /// <summary>
    /// The bars inside the chunk, ascending, that are final: Polygon answers with the aggregate still being built
    /// (values so far), and serving it as final would store a wrong bar for good. A bar is final once it closed
    /// <see cref="ProviderCapabilities.FinalizationDelay"/> ago, the same rule the engine's horizon follows.
    /// </summary>
    private List<Bar> Finished(List<Bar> bars, TimeRange chunk, Timeframe tf)
    {
        var finalBefore = UtcTime.ToEpochMs(_time.GetUtcNow() - Capabilities.FinalizationDelay);
        return [.. bars.Where(b => chunk.Contains(b.OpenTimeMs) && tf.CloseOf(tf.Floor(b.OpenTimeMs)) <= finalBefore).OrderBy(b => b.OpenTimeMs)];
    }
}
