using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;

namespace Gapless.Providers.Eodhd;

/// <summary>
/// EODHD intraday bars (<c>GET /api/intraday/{CODE.EXCHANGE}</c>, 1m 5m 1h) as an <see cref="IBarProvider"/>. One
/// instance per process: its allowance and minute limiters, 429 pause and used-up state are shared by every fetch, so
/// create it once in the composition root (<see cref="EodhdRegistration"/>). EODHD has no pagination; instead one
/// request may span at most 120 days of 1m, 600 days of 5m or 7200 days of 1h bars (<see cref="MaxSpanFor"/>), and
/// <see cref="FetchAsync"/> splits a longer chunk into the fewest requests that obey it. Each request costs 5 API calls of
/// the daily allowance. Thread-safe.
/// </summary>
public sealed class EodhdProvider : IBarProvider, IDisposable
{
    /// <summary>The provider's name as users type it.</summary>
    public const string ProviderName = "eodhd";

    /// <summary>
    /// The trading calendar declared for US tickers (<c>CODE.US</c>): EODHD's US intraday bars include pre-market and
    /// after-hours trading (04:00–20:00 New York time).
    /// </summary>
    public const string CalendarName = "XNYS-extended";

    private readonly EodhdClient _client;
    private readonly TimeProvider _time;
    private readonly TimeSpan _finalizationDelay;
    private readonly HttpClient? _ownedHttp;

    /// <summary>A provider sending through <paramref name="http"/>, which the caller owns and disposes.</summary>
    /// <param name="http">The HTTP client; its base address and timeout are not used (see <see cref="EodhdOptions"/>).</param>
    /// <param name="options">Settings; validated here and not read again after construction.</param>
    /// <param name="timeProvider">The clock for rate-limit windows, the daily allowance, retries, timeouts and finality.</param>
    public EodhdProvider(HttpClient http, EodhdOptions options, TimeProvider timeProvider)
        : this(http, options, timeProvider, ownsHttp: false)
    {
    }

    internal EodhdProvider(HttpClient http, EodhdOptions options, TimeProvider timeProvider, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        _time = timeProvider;
        _finalizationDelay = options.FinalizationDelay;
        _ownedHttp = ownsHttp ? http : null;
        _client = new EodhdClient(http, options, timeProvider);
        BaseUrl = options.BaseUrl;
        Capabilities = new ProviderCapabilities(
            MaxBarsPerRequest: EodhdRequest.MaxBarsPerRequest,
            RequestWeight: EodhdRequest.CallsPerRequest,
            Budget: new RateBudget(options.DailyAllowance, TimeSpan.FromDays(1)),
            Timeframes: EodhdRequest.Timeframes,
            FinalizationDelay: options.FinalizationDelay,
            Calendar: CalendarName,
            MaxSpanPerRequest: LargestSafeSpan,
            MaxConcurrency: options.MaxConcurrency,
            FinalizesAfterSessionClose: true,
            MaxSpanByTimeframe: EodhdRequest.Timeframes.ToDictionary(tf => tf, tf => EodhdRequest.MaxSpan(tf)!.Value));
    }

    /// <summary>
    /// The longest span one request may cover whatever the timeframe: 120 days (1m's limit, the smallest). It is what
    /// <see cref="ProviderCapabilities.MaxSpanPerRequest"/> declares, since capabilities hold one span for every
    /// timeframe; <see cref="MaxSpanFor"/> gives each timeframe's own.
    /// </summary>
    public static TimeSpan LargestSafeSpan { get; } = EodhdRequest.Timeframes.Min(tf => EodhdRequest.MaxSpan(tf)!.Value);

    public string Name => ProviderName;

    /// <summary>
    /// What the engine plans with. <see cref="ProviderCapabilities.RequestWeight"/> is the 5 API calls a request costs
    /// and <see cref="ProviderCapabilities.Budget"/> the daily allowance (<see cref="EodhdOptions.DailyAllowance"/>):
    /// the limit that binds long backfills. <see cref="ProviderCapabilities.MaxSpanByTimeframe"/> holds each
    /// timeframe's span (120 days of 1m, 600 of 5m, 7200 of 1h), so the planner cuts the fewest requests;
    /// <see cref="ProviderCapabilities.MaxBarsPerRequest"/> is 172,800, the bar slots in each span, so the span binds.
    /// </summary>
    public ProviderCapabilities Capabilities { get; }

    /// <summary>The host requests go to.</summary>
    public Uri BaseUrl { get; }

    internal EodhdClient Client => _client;

    /// <summary>
    /// The longest span (<c>to − from</c>) one EODHD request may cover for <paramref name="timeframe"/>: 120 days of
    /// 1m, 600 days of 5m, 7200 days of 1h; null for a timeframe EODHD does not serve.
    /// </summary>
    public static TimeSpan? MaxSpanFor(Timeframe timeframe) => EodhdRequest.MaxSpan(timeframe);

    /// <summary>
    /// The bars with open time in <paramref name="chunk"/>, ascending: one request per span-sized piece of the chunk
    /// (<c>from</c> = the piece's start, <c>to</c> = its end − 1 s, both Unix seconds), so a chunk longer than the
    /// timeframe's span takes the fewest requests possible. Rows in which nothing traded (null volume) are left out,
    /// as are bars closed less than <see cref="EodhdOptions.FinalizationDelay"/> ago.
    /// </summary>
    /// <exception cref="InvalidRequestException">The timeframe is not 1m, 5m or 1h.</exception>
    /// <exception cref="VendorException">No API token; EODHD refused or failed after retries; the daily allowance is used up.</exception>
    public async Task<IReadOnlyList<Bar>> FetchAsync(Series series, TimeRange chunk, VendorCallLog calls, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(calls);
        var tf = series.Timeframe;
        if (MaxSpanFor(tf) is not { } span)
        {
            throw new InvalidRequestException(
                $"eodhd does not serve timeframe {tf.Code}; use one of {string.Join(' ', EodhdRequest.Timeframes.Select(t => t.Code))}");
        }

        if (chunk.IsEmpty)
        {
            return [];
        }

        if (!_client.HasToken)
        {
            throw EodhdErrors.MissingToken();
        }

        var bars = new List<Bar>();
        foreach (var piece in Split(chunk, span))
        {
            var answer = await _client.GetAsync(
                EodhdRequest.Intraday(series.Symbol, tf, FloorSeconds(piece.FromMs), CeilingSeconds(piece.ToMs) - 1),
                static body => EodhdBarParser.Parse(body),
                static answer => answer.Rows,
                calls,
                cancellationToken).ConfigureAwait(false);

            // Only what was asked for: a vendor that reads `to` loosely must not put a bar in the wrong chunk.
            bars.AddRange(answer.Bars.Where(bar => piece.Contains(bar.OpenTimeMs)));
        }

        return DropUnfinished(Ascending(bars), tf);
    }

    public void Dispose() => _ownedHttp?.Dispose();

    /// <summary>The pieces of <paramref name="chunk"/> one request each: ⌈length / span⌉ of them, each at most <paramref name="span"/> long.</summary>
    internal static IEnumerable<TimeRange> Split(TimeRange chunk, TimeSpan span)
    {
        var spanMs = (long)span.TotalMilliseconds;
        for (var from = chunk.FromMs; from < chunk.ToMs; from += spanMs)
        {
            yield return new TimeRange(from, Math.Min(chunk.ToMs, from + spanMs));
        }
    }

    private static long FloorSeconds(long ms) => Math.DivRem(ms, 1000, out var rem) - (rem < 0 ? 1 : 0);

    private static long CeilingSeconds(long ms) => -FloorSeconds(-ms);

    private static List<Bar> Ascending(List<Bar> bars)
    {
        for (var i = 1; i < bars.Count; i++)
        {
            if (bars[i].OpenTimeMs < bars[i - 1].OpenTimeMs)
            {
                // EODHD answers in ascending order; a stable sort keeps any duplicates in the vendor's order for the validator.
                return [.. bars.OrderBy(b => b.OpenTimeMs)];
            }
        }

        return bars;
    }

    private List<Bar> DropUnfinished(List<Bar> bars, Timeframe tf)
    {
        // A safety net under the engine's horizon (which counts the delay from the session's close): a bar closed
        // less than the delay ago may still change, and storing it would keep a wrong value for good.
        var finalBefore = UtcTime.ToEpochMs(_time.GetUtcNow() - _finalizationDelay);
        bars.RemoveAll(bar => tf.CloseOf(bar.OpenTimeMs) > finalBefore);
        return bars;
    }
}
