using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;

namespace Gapless.Providers.Alpaca;

/// <summary>
/// Alpaca market data v2 stock bars as an <see cref="IMultiSymbolBarProvider"/>: one symbol through
/// <c>GET /v2/stocks/{symbol}/bars</c>, several through <c>GET /v2/stocks/bars?symbols=…</c>, following
/// <c>next_page_token</c> until the last page. One instance per process: its limiter and 429 pause are shared by
/// every fetch, so create it once in the composition root (<see cref="AlpacaRegistration"/>). It returns every bar
/// Alpaca has in the chunk, final or not: the engine's finalization horizon (<see cref="AlpacaOptions.EffectiveFinalizationDelay"/>)
/// keeps it from asking for bars too recent to be final. Thread-safe.
/// </summary>
public sealed class AlpacaProvider : IMultiSymbolBarProvider, IDisposable
{
    /// <summary>The provider's name as users type it.</summary>
    public const string ProviderName = "alpaca";

    private readonly AlpacaClient _client;
    private readonly AlpacaFeed _feed;
    private readonly AlpacaAdjustment _adjustment;
    private readonly HttpClient? _ownedHttp;

    /// <summary>A provider sending through <paramref name="http"/>, which the caller owns and disposes.</summary>
    /// <param name="http">The HTTP client; its base address, default headers and timeout are not used (see <see cref="AlpacaOptions"/>).</param>
    /// <param name="options">Settings; validated here and not read again after construction.</param>
    /// <param name="timeProvider">The clock for rate-limit windows, retries and timeouts.</param>
    public AlpacaProvider(HttpClient http, AlpacaOptions options, TimeProvider timeProvider)
        : this(http, options, timeProvider, ownsHttp: false)
    {
    }

    internal AlpacaProvider(HttpClient http, AlpacaOptions options, TimeProvider timeProvider, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();

        // A copy: the caller may reuse its options object, and the keys must not change under a running fetch.
        var own = Copy(options);
        _ownedHttp = ownsHttp ? http : null;
        _client = new AlpacaClient(http, own, timeProvider);
        _feed = own.Feed;
        _adjustment = own.Adjustment;
        BaseUrl = own.BaseUrl;
        MaxSymbolsPerRequest = own.MaxSymbolsPerRequest;
        Capabilities = new ProviderCapabilities(
            MaxBarsPerRequest: AlpacaRequest.MaxLimit,
            RequestWeight: AlpacaRequest.Weight,
            Budget: own.DefaultBudget,
            Timeframes: AlpacaWire.Timeframes,
            FinalizationDelay: own.EffectiveFinalizationDelay,
            Calendar: "XNYS-extended",
            MaxConcurrency: own.MaxConcurrency);
    }

    public string Name => ProviderName;

    /// <summary>
    /// What the engine plans with: up to 10,000 bars a page, one request of weight 1 each, the documented free-plan
    /// budget (200 a minute) until Alpaca's headers say otherwise, New York's extended session (04:00–20:00), which
    /// Alpaca's intraday bars cover.
    /// </summary>
    public ProviderCapabilities Capabilities { get; }

    /// <inheritdoc/>
    public int MaxSymbolsPerRequest { get; }

    /// <summary>The host requests go to.</summary>
    public Uri BaseUrl { get; }

    internal AlpacaClient Client => _client;

    /// <summary>
    /// The bars of <paramref name="series"/> whose open time lies in <paramref name="chunk"/>, ascending: one request
    /// with <c>start</c>/<c>end</c> covering exactly the chunk (see <see cref="AlpacaWire.Window"/>), then one more per
    /// <c>next_page_token</c>.
    /// </summary>
    /// <exception cref="InvalidRequestException">Alpaca does not serve the series' timeframe.</exception>
    public async Task<IReadOnlyList<Bar>> FetchAsync(Series series, TimeRange chunk, VendorCallLog calls, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(calls);
        var tf = series.Timeframe;
        EnsureServed(tf);
        var slots = tf.CountBars(chunk);
        if (slots == 0)
        {
            return [];
        }

        var query = AlpacaBarsQuery.For(tf, chunk, slots, _feed, _adjustment);
        var bars = new List<Bar>();
        string? token = null;
        do
        {
            var request = AlpacaRequest.SingleBars(series.Symbol, query, token);
            var page = await _client.GetAsync(request, body => AlpacaBarParser.Parse(body, tf), static p => p.Count, calls, cancellationToken)
                .ConfigureAwait(false);
            bars.AddRange(page.Bars);
            token = Next(token, page.NextPageToken, request);
        }
        while (token is not null);

        return InChunk(bars, chunk);
    }

    /// <summary>
    /// The bars of each of <paramref name="symbols"/> whose open time lies in <paramref name="chunk"/>, ascending: one
    /// request naming every symbol, then one more per <c>next_page_token</c>. A page holds up to 10,000 bars across
    /// the symbols and may end in the middle of one; its bars continue on the next page. A symbol Alpaca has no bars
    /// for (or does not know: the multi-symbol endpoint leaves unknown symbols out) maps to an empty list.
    /// </summary>
    /// <exception cref="ArgumentException">No symbols, more than <see cref="MaxSymbolsPerRequest"/>, a duplicate, or one with a comma.</exception>
    /// <exception cref="InvalidRequestException">Alpaca does not serve <paramref name="timeframe"/>.</exception>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<Bar>>> FetchManyAsync(
        IReadOnlyList<string> symbols,
        Timeframe timeframe,
        TimeRange chunk,
        VendorCallLog calls,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        ArgumentNullException.ThrowIfNull(timeframe);
        ArgumentNullException.ThrowIfNull(calls);
        CheckSymbols(symbols);
        EnsureServed(timeframe);
        var bySymbol = symbols.ToDictionary(s => s, _ => new List<Bar>(), StringComparer.Ordinal);
        var slots = timeframe.CountBars(chunk);
        if (slots > 0)
        {
            var query = AlpacaBarsQuery.For(timeframe, chunk, slots * symbols.Count, _feed, _adjustment);
            string? token = null;
            do
            {
                var request = AlpacaRequest.MultiBars(symbols, query, token);
                var page = await _client.GetAsync(request, body => AlpacaBarParser.Parse(body, timeframe), static p => p.Count, calls, cancellationToken)
                    .ConfigureAwait(false);
                foreach (var (symbol, bars) in page.BarsBySymbol)
                {
                    // Alpaca echoes symbols as asked; a symbol not asked for is ignored rather than stored under a guess.
                    if (Find(bySymbol, symbol) is { } list)
                    {
                        list.AddRange(bars);
                    }
                }

                token = Next(token, page.NextPageToken, request);
            }
            while (token is not null);
        }

        return bySymbol.ToDictionary(p => p.Key, p => InChunk(p.Value, chunk), StringComparer.Ordinal);
    }

    public void Dispose() => _ownedHttp?.Dispose();

    /// <summary>
    /// Only bars whose open time lies in the chunk, ascending. Alpaca answers in ascending order and only inside
    /// <c>[start, end]</c>, so this normally keeps everything; it guards the contract against a vendor that does not.
    /// </summary>
    internal static IReadOnlyList<Bar> InChunk(List<Bar> bars, TimeRange chunk)
    {
        bars.RemoveAll(bar => !chunk.Contains(bar.OpenTimeMs));
        for (var i = 1; i < bars.Count; i++)
        {
            if (bars[i].OpenTimeMs < bars[i - 1].OpenTimeMs)
            {
                // Stable: equal open times (duplicates, for the validator to judge) keep the vendor's order.
                return [.. bars.OrderBy(b => b.OpenTimeMs)];
            }
        }

        return bars;
    }

    private static string? Next(string? sent, string? received, AlpacaRequest request)
        => received is null ? null
            : received == sent ? throw AlpacaErrors.RepeatedPageToken(request.PathAndQuery)
            : received;

    private static List<Bar>? Find(Dictionary<string, List<Bar>> bySymbol, string symbol)
        => bySymbol.TryGetValue(symbol, out var list) ? list
            : bySymbol.FirstOrDefault(p => string.Equals(p.Key, symbol, StringComparison.OrdinalIgnoreCase)).Value;

    private void CheckSymbols(IReadOnlyList<string> symbols)
    {
        if (symbols.Count == 0 || symbols.Count > MaxSymbolsPerRequest)
        {
            throw new ArgumentException($"alpaca takes 1 to {MaxSymbolsPerRequest} symbols per request, not {symbols.Count}", nameof(symbols));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var symbol in symbols)
        {
            if (string.IsNullOrWhiteSpace(symbol) || symbol.Contains(',', StringComparison.Ordinal))
            {
                throw new ArgumentException($"symbol '{symbol}' must be non-empty and contain no comma", nameof(symbols));
            }

            if (!seen.Add(symbol))
            {
                throw new ArgumentException($"symbol '{symbol}' is named twice", nameof(symbols));
            }
        }
    }

    private static void EnsureServed(Timeframe timeframe)
    {
        if (AlpacaWire.Code(timeframe) is null)
        {
            throw new InvalidRequestException(
                $"alpaca does not serve {timeframe.Code} bars; use one of {string.Join(' ', AlpacaWire.Timeframes.Select(t => t.Code))}");
        }
    }

    private static AlpacaOptions Copy(AlpacaOptions o) => new()
    {
        BaseUrl = o.BaseUrl,
        KeyId = o.KeyId,
        SecretKey = o.SecretKey,
        Feed = o.Feed,
        Adjustment = o.Adjustment,
        MaxRetries = o.MaxRetries,
        BaseDelay = o.BaseDelay,
        MaxDelay = o.MaxDelay,
        AttemptTimeout = o.AttemptTimeout,
        DefaultBudget = o.DefaultBudget,
        SafetyMargin = o.SafetyMargin,
        DefaultRetryAfter = o.DefaultRetryAfter,
        FinalizationDelay = o.FinalizationDelay,
        MaxConcurrency = o.MaxConcurrency,
        MaxSymbolsPerRequest = o.MaxSymbolsPerRequest,
        SharedRateLimits = o.SharedRateLimits,
    };
}
