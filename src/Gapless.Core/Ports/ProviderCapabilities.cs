using Gapless.Core.Model;

namespace Gapless.Core.Ports;

/// <summary>
/// What a provider declares about itself; the planner and the sync engine obey it.
/// </summary>
/// <param name="MaxBarsPerRequest">The most bars one vendor request returns (Binance klines: 1000).</param>
/// <param name="RequestWeight">The rate-limit weight one bar request spends (Binance klines: 2).</param>
/// <param name="Budget">The vendor's documented rate budget, used to estimate plans offline; null when unlimited.</param>
/// <param name="Timeframes">The timeframes the provider serves.</param>
/// <param name="FinalizationDelay">How long after a bar closes the vendor's value is final.</param>
/// <param name="Calendar">The trading calendar of the market served (<c>24/7</c> for crypto).</param>
/// <param name="MaxSpanPerRequest">The longest time span one request may cover, where the vendor caps it.</param>
/// <param name="MaxSpanByTimeframe">Per-timeframe caps on a request's span (EODHD: 120 days of 1m, 600 of 5m); they win over <paramref name="MaxSpanPerRequest"/>.</param>
/// <param name="MaxConcurrency">How many requests to keep in flight at once.</param>
/// <param name="FinalizesAfterSessionClose">
/// When true, <paramref name="FinalizationDelay"/> counts from the close of the session a bar belongs to, not from the
/// bar's own close (EODHD publishes a day's intraday bars 2–3 hours after the close).
/// </param>
public sealed record ProviderCapabilities(
    int MaxBarsPerRequest,
    int RequestWeight,
    RateBudget? Budget,
    IReadOnlyList<Timeframe> Timeframes,
    TimeSpan FinalizationDelay,
    string Calendar = "24/7",
    TimeSpan? MaxSpanPerRequest = null,
    int MaxConcurrency = 4,
    bool FinalizesAfterSessionClose = false,
    IReadOnlyDictionary<Timeframe, TimeSpan>? MaxSpanByTimeframe = null)
{
    /// <summary>The longest span one request for <paramref name="timeframe"/> may cover, or null when uncapped.</summary>
    public TimeSpan? MaxSpanFor(Timeframe timeframe)
        => MaxSpanByTimeframe is not null && MaxSpanByTimeframe.TryGetValue(timeframe, out var span) ? span : MaxSpanPerRequest;
}

/// <summary>A rate budget: at most <paramref name="Weight"/> request weight per <paramref name="Window"/>.</summary>
public sealed record RateBudget(int Weight, TimeSpan Window)
{
    /// <summary>How long spending <paramref name="weight"/> takes under this budget: each full budget beyond the first costs one window.</summary>
    public TimeSpan EstimateWait(long weight)
        => Weight <= 0 || weight <= Weight ? TimeSpan.Zero : Window * ((weight - 1) / Weight);
}
