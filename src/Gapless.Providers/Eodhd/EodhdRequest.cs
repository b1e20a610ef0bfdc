using System.Globalization;
using Gapless.Core.Model;

namespace Gapless.Providers.Eodhd;

/// <summary>
/// One EODHD intraday request, without its token: <c>/api/intraday/AAPL.US?interval=1m&amp;from=…&amp;to=…&amp;fmt=json</c>.
/// The client appends <c>&amp;api_token=…</c> only when it sends, so this value (and its <c>ToString</c>) never holds the
/// secret and is what the fetch log records.
/// </summary>
/// <param name="PathAndQuery">Path and query, no token.</param>
/// <param name="Symbol">The symbol asked for (for messages).</param>
internal sealed record EodhdRequest(string PathAndQuery, string Symbol)
{
    /// <summary>API calls one intraday request spends of the daily allowance (EODHD's API limits page).</summary>
    public const int CallsPerRequest = 5;

    /// <summary>
    /// The most bars one request can hold: EODHD's span limits (120 days of 1m, 600 days of 5m, 7200 days of 1h) are
    /// each exactly 172,800 bar slots. EODHD has no pagination; this is the declared page size.
    /// </summary>
    public const int MaxBarsPerRequest = 172_800;

    /// <summary>The timeframes EODHD's intraday API serves, as its <c>interval</c> codes: 1m, 5m, 1h.</summary>
    public static IReadOnlyList<Timeframe> Timeframes { get; } = [Timeframe.M1, Timeframe.M5, Timeframe.H1];

    /// <summary>The longest <c>to − from</c> EODHD accepts for <paramref name="timeframe"/>, or null when it is not served.</summary>
    public static TimeSpan? MaxSpan(Timeframe timeframe) => timeframe?.Code switch
    {
        "1m" => TimeSpan.FromDays(120),
        "5m" => TimeSpan.FromDays(600),
        "1h" => TimeSpan.FromDays(7200),
        _ => null,
    };

    /// <summary>
    /// Bars of <paramref name="timeframe"/> opening in <c>[fromSeconds, toSecondsInclusive]</c> (Unix seconds, UTC).
    /// EODHD's <c>to</c> is asked for inclusively here: with <c>to</c> one second before the range's end the answer is
    /// the same whether EODHD treats it as inclusive or exclusive, and the span stays under the limit either way.
    /// </summary>
    public static EodhdRequest Intraday(string symbol, Timeframe timeframe, long fromSeconds, long toSecondsInclusive)
    {
        ArgumentNullException.ThrowIfNull(timeframe);
        return new(
            string.Create(
                CultureInfo.InvariantCulture,
                $"/api/intraday/{Uri.EscapeDataString(symbol)}?interval={timeframe.Code}&from={fromSeconds}&to={toSecondsInclusive}&fmt=json"),
            symbol);
    }
}
