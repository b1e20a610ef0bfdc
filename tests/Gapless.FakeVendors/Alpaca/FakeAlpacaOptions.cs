using Gapless.Core.Model;

namespace Gapless.FakeVendors.Alpaca;

/// <summary>
/// Everything <see cref="FakeAlpaca"/> serves and every fault it injects. Defaults: a clean market where every
/// well-formed symbol trades on New York's extended session (04:00–20:00 weekdays, NYSE's full-day holidays of
/// 2023–2025 closed), Alpaca's free-plan limit of 200 requests a minute, the free plan's refusal of recent SIP data,
/// and the system clock.
/// </summary>
public sealed class FakeAlpacaOptions
{
    /// <summary>Seeds both the market data and the fault dice.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>The fake's "now": bars that have not closed by then are not served.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The key id a request must carry in <c>APCA-API-KEY-ID</c>.</summary>
    public string KeyId { get; set; } = "fake-key-id";

    /// <summary>The secret a request must carry in <c>APCA-API-SECRET-KEY</c>.</summary>
    public string SecretKey { get; set; } = "fake-secret-key";

    /// <summary>
    /// Symbols Alpaca does not know: the single-symbol endpoint answers 422, the multi-symbol endpoint leaves them out.
    /// Any other symbol of 1–10 capital letters, digits and dots trades.
    /// </summary>
    public ISet<string> UnknownSymbols { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Vendor holes by symbol (an outage, a halt): bars whose Gapless open time lies inside are absent.</summary>
    public IDictionary<string, IList<TimeRange>> Holes { get; } = new Dictionary<string, IList<TimeRange>>(StringComparer.Ordinal);

    /// <summary>Days without a session (New York dates). NYSE's full-day closures of 2023–2025 by default.</summary>
    public ISet<DateOnly> Holidays { get; } = new HashSet<DateOnly>(DefaultHolidays);

    /// <summary>
    /// Rate of intraday bars of 15 minutes or less that are absent although the session is open: minutes without an
    /// IEX trade. A property of the bar, not of the request. Default 0.05.
    /// </summary>
    public double QuietBarRate { get; set; } = 0.05;

    /// <summary>The most bars one page holds, whatever <c>limit</c> asks (Alpaca: 10,000). Lower it to test paging.</summary>
    public int MaxPageSize { get; set; } = 10_000;

    /// <summary>Requests allowed per <see cref="RateLimitWindow"/> (<c>X-RateLimit-Limit</c>). Default 200, the free plan's.</summary>
    public int RequestsPerWindow { get; set; } = 200;

    /// <summary>The rate-limit window; windows start at multiples of it since the Unix epoch. Default 1 minute.</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Requests arriving this soon after a 429 was sent are not counted as violations: they were already on the wire
    /// when the client learnt of it. Default 250 ms.
    /// </summary>
    public TimeSpan InFlightGrace { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Rate of bars answers replaced by a 500.</summary>
    public double ServerErrorRate { get; set; }

    /// <summary>Rate of bars answers replaced by a 429 that pauses every request for <see cref="InjectedPauseSeconds"/>.</summary>
    public double TooManyRequestsRate { get; set; }

    /// <summary>How long an injected 429 pauses every request, in whole seconds (its <c>X-RateLimit-Reset</c>).</summary>
    public int InjectedPauseSeconds { get; set; } = 1;

    /// <summary>Rate of bars answers whose body is cut in half (still a complete HTTP answer).</summary>
    public double TruncatedBodyRate { get; set; }

    /// <summary>Rate of bars answers delayed by <see cref="SlowDelay"/> (set it beyond the client's timeout).</summary>
    public double SlowAnswerRate { get; set; }

    /// <summary>How long a slow answer waits (real time). Default 5 s.</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// False (the default, the free plan): <c>feed=sip</c> with an <c>end</c> in the last <see cref="RecentSipWindow"/>
    /// gets Alpaca's 403 <c>subscription does not permit querying recent SIP data</c>.
    /// </summary>
    public bool RecentSipAllowed { get; set; }

    /// <summary>How recent SIP data the free plan refuses. Default 15 minutes.</summary>
    public TimeSpan RecentSipWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Write an empty answer's <c>bars</c> as <c>null</c> (both endpoints) rather than <c>[]</c> / <c>{}</c>.</summary>
    public bool EmptyBarsAsNull { get; set; }

    /// <summary>NYSE's full-day closures of 2023, 2024 and 2025 (the fake's calendar; early closes are ignored).</summary>
    public static IReadOnlyList<DateOnly> DefaultHolidays { get; } =
    [
        new(2023, 1, 2), new(2023, 1, 16), new(2023, 2, 20), new(2023, 4, 7), new(2023, 5, 29), new(2023, 6, 19),
        new(2023, 7, 4), new(2023, 9, 4), new(2023, 11, 23), new(2023, 12, 25),
        new(2024, 1, 1), new(2024, 1, 15), new(2024, 2, 19), new(2024, 3, 29), new(2024, 5, 27), new(2024, 6, 19),
        new(2024, 7, 4), new(2024, 9, 2), new(2024, 11, 28), new(2024, 12, 25),
        new(2025, 1, 1), new(2025, 1, 9), new(2025, 1, 20), new(2025, 2, 17), new(2025, 4, 18), new(2025, 5, 26),
        new(2025, 6, 19), new(2025, 7, 4), new(2025, 9, 1), new(2025, 11, 27), new(2025, 12, 25),
    ];
}
