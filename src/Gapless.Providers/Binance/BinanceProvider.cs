using Gapless.Core.Model;
using Gapless.Core.Ports;

namespace Gapless.Providers.Binance;

/// <summary>
/// Binance spot klines (<c>GET /api/v3/klines</c>) as an <see cref="IBarProvider"/>. One instance per process:
/// its weight limiter, 429 pause and ban state are shared by every fetch, so create it once in the composition
/// root (<see cref="BinanceRegistration"/>). Before the first klines request it reads Binance's published
/// REQUEST_WEIGHT limit from <c>exchangeInfo</c> (a 400 -1121 there fails at once: unknown symbol). Klines not
/// yet final (the still-open candle, which Binance returns with partial values, and any kline closed less than
/// <see cref="BinanceOptions.FinalizationDelay"/> ago) are left out. Thread-safe.
/// </summary>
public sealed class BinanceProvider : IBarProvider, IDisposable
{
    /// <summary>The provider's name as users type it.</summary>
    public const string ProviderName = "binance";

    private readonly BinanceClient _client;
    private readonly TimeProvider _time;
    private readonly TimeSpan _finalizationDelay;
    private readonly SemaphoreSlim _limitGate = new(1, 1);
    private readonly HttpClient? _ownedHttp;
    private volatile bool _limitKnown;

    /// <summary>A provider sending through <paramref name="http"/>, which the caller owns and disposes.</summary>
    /// <param name="http">The HTTP client; its base address and timeout are not used (see <see cref="BinanceOptions"/>).</param>
    /// <param name="options">Settings; validated here and not read again after construction.</param>
    /// <param name="timeProvider">The clock for rate-limit windows, retries, timeouts and finality.</param>
    public BinanceProvider(HttpClient http, BinanceOptions options, TimeProvider timeProvider)
        : this(http, options, timeProvider, ownsHttp: false)
    {
    }

    internal BinanceProvider(HttpClient http, BinanceOptions options, TimeProvider timeProvider, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        _time = timeProvider;
        _finalizationDelay = options.FinalizationDelay;
        _ownedHttp = ownsHttp ? http : null;
        _client = new BinanceClient(http, options, timeProvider);
        BaseUrl = options.BaseUrl;
        Capabilities = new ProviderCapabilities(
            MaxBarsPerRequest: BinanceRequest.MaxKlines,
            RequestWeight: BinanceRequest.KlinesWeight,
            Budget: options.DefaultBudget,
            Timeframes: Timeframe.All,
            FinalizationDelay: options.FinalizationDelay,
            Calendar: "24/7",
            MaxConcurrency: options.MaxConcurrency);
    }

    public string Name => ProviderName;

    /// <summary>
    /// What the engine plans with. <see cref="ProviderCapabilities.Budget"/> is the documented default
    /// (<see cref="BinanceOptions.DefaultBudget"/>), for offline plans; requests obey the limit read from Binance.
    /// </summary>
    public ProviderCapabilities Capabilities { get; }

    /// <summary>The host requests go to.</summary>
    public Uri BaseUrl { get; }

    internal BinanceClient Client => _client;

    /// <summary>
    /// The klines with open time in <paramref name="chunk"/>: one request for <c>startTime = chunk.From</c>,
    /// <c>endTime = chunk.To − 1 ms</c> (inclusive), <c>limit</c> = bars in the chunk. A further request is made
    /// only when Binance filled the page yet stopped before the chunk's last bar (off-grid klines can outnumber
    /// the grid slots), so no kline is silently left behind.
    /// </summary>
    /// <exception cref="ArgumentException">The chunk holds more than 1000 bars.</exception>
    public async Task<IReadOnlyList<Bar>> FetchAsync(Series series, TimeRange chunk, VendorCallLog calls, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(calls);
        var tf = series.Timeframe;
        var slots = tf.CountBars(chunk);
        if (slots == 0)
        {
            return [];
        }

        if (slots > BinanceRequest.MaxKlines)
        {
            throw new ArgumentException(
                $"chunk {chunk} holds {slots} {tf.Code} bars; binance answers at most {BinanceRequest.MaxKlines} per request", nameof(chunk));
        }

        await EnsureWeightLimitAsync(series.Symbol, calls, cancellationToken).ConfigureAwait(false);

        var bars = new List<Bar>((int)slots);
        var lastSlot = tf.Floor(chunk.ToMs - 1);
        var start = chunk.FromMs;
        var limit = (int)slots;
        while (true)
        {
            var page = await _client.GetAsync(
                BinanceRequest.Klines(series.Symbol, tf, start, chunk.ToMs - 1, limit),
                body => BinanceKlineParser.Parse(body, tf),
                static page => page.Count,
                calls,
                cancellationToken).ConfigureAwait(false);
            bars.AddRange(page);
            if (page.Count < limit || page[^1].OpenTimeMs >= lastSlot)
            {
                break;
            }

            start = page[^1].OpenTimeMs + 1;
            limit = (int)Math.Clamp(tf.CountBars(start, chunk.ToMs), 1, BinanceRequest.MaxKlines);
        }

        return DropUnfinished(bars, tf);
    }

    public void Dispose()
    {
        _limitGate.Dispose();
        _ownedHttp?.Dispose();
    }

    private List<Bar> DropUnfinished(List<Bar> bars, Timeframe tf)
    {
        // Binance answers with the still-open candle (partial values) and recently closed ones it may still
        // amend; serving them as final would store a wrong bar for good.
        var finalBefore = UtcTime.ToEpochMs(_time.GetUtcNow() - _finalizationDelay);
        bars.RemoveAll(bar => tf.CloseOf(bar.OpenTimeMs) > finalBefore);
        return bars;
    }

    private async Task EnsureWeightLimitAsync(string symbol, VendorCallLog calls, CancellationToken cancellationToken)
    {
        if (_limitKnown)
        {
            return;
        }

        await _limitGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_limitKnown)
            {
                return;
            }

            // Binance's limit is read rather than assumed; it has changed before (1200, then 6000 per minute).
            var info = await _client.GetAsync(
                BinanceRequest.ExchangeInfo(symbol),
                static body => System.Text.Json.JsonSerializer.Deserialize(body, Models.BinanceJsonContext.Default.ExchangeInfoResponse)
                    ?? throw new System.Text.Json.JsonException("exchangeInfo is null"),
                static _ => 0,
                calls,
                cancellationToken).ConfigureAwait(false);
            if (BinanceWeightLimit.From(info.RateLimits) is { } limit)
            {
                _client.UseWeightLimit(limit);
            }

            _limitKnown = true;
        }
        finally
        {
            _limitGate.Release();
        }
    }
}
