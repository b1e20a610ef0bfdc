using Gapless.Providers.Binance.Models;

namespace Gapless.Providers.Binance;

/// <summary>
/// Binance's request-weight limit as published in <c>exchangeInfo.rateLimits</c>, and the answer header that
/// reports the weight used against it: <c>X-MBX-USED-WEIGHT-(intervalNum)(intervalLetter)</c>, e.g.
/// <c>X-MBX-USED-WEIGHT-1M</c> for 6000 per 1 MINUTE.
/// </summary>
internal sealed record BinanceWeightLimit(int Limit, TimeSpan Window, string UsedWeightHeader)
{
    public static BinanceWeightLimit Default(int limit, TimeSpan window) => new(limit, window, HeaderFor(window));

    /// <summary>
    /// The REQUEST_WEIGHT limit among <paramref name="rateLimits"/>, or null when none is published. When there are
    /// several, the shortest window is kept: it is the one bursts of klines requests run into.
    /// </summary>
    public static BinanceWeightLimit? From(IEnumerable<RateLimitEntry>? rateLimits)
    {
        BinanceWeightLimit? best = null;
        foreach (var entry in rateLimits ?? [])
        {
            if (entry.RateLimitType != "REQUEST_WEIGHT" || entry.Limit <= 0 || entry.IntervalNum <= 0
                || Unit(entry.Interval) is not { } unit)
            {
                continue;
            }

            var window = unit.Length * entry.IntervalNum;
            if (best is null || window < best.Window)
            {
                best = new BinanceWeightLimit(entry.Limit, window, $"X-MBX-USED-WEIGHT-{entry.IntervalNum}{unit.Letter}");
            }
        }

        return best;
    }

    private static string HeaderFor(TimeSpan window)
        => window.TotalDays >= 1 && window.TotalDays % 1 == 0 ? $"X-MBX-USED-WEIGHT-{(int)window.TotalDays}D"
            : window.TotalHours >= 1 && window.TotalHours % 1 == 0 ? $"X-MBX-USED-WEIGHT-{(int)window.TotalHours}H"
            : window.TotalMinutes >= 1 && window.TotalMinutes % 1 == 0 ? $"X-MBX-USED-WEIGHT-{(int)window.TotalMinutes}M"
            : $"X-MBX-USED-WEIGHT-{(int)window.TotalSeconds}S";

    private static (TimeSpan Length, char Letter)? Unit(string? interval) => interval switch
    {
        "SECOND" => (TimeSpan.FromSeconds(1), 'S'),
        "MINUTE" => (TimeSpan.FromMinutes(1), 'M'),
        "HOUR" => (TimeSpan.FromHours(1), 'H'),
        "DAY" => (TimeSpan.FromDays(1), 'D'),
        _ => null,
    };
}
