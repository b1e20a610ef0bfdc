using Gapless.Core.Model;

namespace Gapless.FakeVendors.Eodhd;

/// <summary>
/// Everything <see cref="FakeEodhd"/> serves and every fault it injects. Defaults: a clean, fault-free market in which
/// every <c>CODE.US</c> ticker trades on extended hours (04:00–20:00 New York time, weekdays, NYSE holidays of
/// 2023–2025 closed), EODHD's limits (120/600/7200 days per request, 1000 requests a minute, 100,000 calls a day at
/// 5 per request) enforced, the system clock.
/// </summary>
public sealed class FakeEodhdOptions
{
    /// <summary>The token used by <see cref="WithToken"/> and the tests.</summary>
    public const string DefaultToken = "fake-eodhd-token.0123456789";

    /// <summary>Seeds both the market data and the fault dice.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>The one <c>api_token</c> accepted; any other (or none) gets <c>401 Unauthenticated</c>.</summary>
    public string ApiToken { get; set; } = DefaultToken;

    /// <summary>Answer every authenticated request with 403, as EODHD does for a plan without intraday data.</summary>
    public bool PlanWithoutIntraday { get; set; }

    /// <summary>The fake's "now": bars not closed by then do not exist yet; the allowance resets at its midnight UTC.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Nothing at or after this instant is published yet: bars opening at or after it are absent, as EODHD's are
    /// until 2–3 hours after the session's close. Null: everything closed by "now" is published.
    /// </summary>
    public DateTimeOffset? PublishedUntil { get; set; }

    /// <summary>API calls per UTC day (EODHD: 100,000; the free plan 20). Every answered request costs <see cref="CallsPerRequest"/>.</summary>
    public int DailyAllowance { get; set; } = 100_000;

    /// <summary>Calls already spent today when the fake starts (e.g. equal to <see cref="DailyAllowance"/>: used up).</summary>
    public int CallsUsedAtStart { get; set; }

    /// <summary>API calls an intraday request costs (EODHD: 5).</summary>
    public int CallsPerRequest { get; set; } = 5;

    /// <summary>Requests per clock minute before 429s (EODHD: 1000).</summary>
    public int MinuteRequestLimit { get; set; } = 1000;

    /// <summary>Tickers that get <c>404 Ticker Not Found.</c> though they end in <c>.US</c> (any other exchange always does).</summary>
    public ISet<string> UnknownTickers { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Ranges with no bars at all for every ticker (a vendor outage): bars opening inside are absent.</summary>
    public IList<TimeRange> Holes { get; } = [];

    /// <summary>New York dates with no session (weekends never have one). Default: NYSE full-day closures of 2023–2025.</summary>
    public ISet<DateOnly> Holidays { get; } = new HashSet<DateOnly>(NyseHolidays2023To2025);

    /// <summary>
    /// Rate of bars served with <c>"volume":null</c> (nothing traded): a property of the bar, served every time.
    /// <see cref="FakeEodhd.ExpectedBars"/> leaves them out, as a faithful client does.
    /// </summary>
    public double NullVolumeRate { get; set; }

    /// <summary>Rate of answers replaced by a 5xx (not charged).</summary>
    public double ServerErrorRate { get; set; }

    /// <summary>Rate of answers replaced by a 429 with <see cref="InjectedRetryAfterSeconds"/> (not charged).</summary>
    public double TooManyRequestsRate { get; set; }

    /// <summary>The Retry-After of injected 429s, in whole seconds.</summary>
    public int InjectedRetryAfterSeconds { get; set; } = 1;

    /// <summary>Rate of answers whose body is cut in half (still a complete HTTP answer; charged).</summary>
    public double TruncatedBodyRate { get; set; }

    /// <summary>Rate of answers delayed by <see cref="SlowDelay"/> (set it beyond the client's timeout).</summary>
    public double SlowAnswerRate { get; set; }

    /// <summary>How long a slow answer waits (real time). Default 5 s.</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>NYSE full-day closures, 2023–2025 (early closes still have extended hours in the fake).</summary>
    public static IReadOnlyList<DateOnly> NyseHolidays2023To2025 { get; } =
    [
        new(2023, 1, 2), new(2023, 1, 16), new(2023, 2, 20), new(2023, 4, 7), new(2023, 5, 29), new(2023, 6, 19),
        new(2023, 7, 4), new(2023, 9, 4), new(2023, 11, 23), new(2023, 12, 25),
        new(2024, 1, 1), new(2024, 1, 15), new(2024, 2, 19), new(2024, 3, 29), new(2024, 5, 27), new(2024, 6, 19),
        new(2024, 7, 4), new(2024, 9, 2), new(2024, 11, 28), new(2024, 12, 25),
        new(2025, 1, 1), new(2025, 1, 9), new(2025, 1, 20), new(2025, 2, 17), new(2025, 4, 18), new(2025, 5, 26),
        new(2025, 6, 19), new(2025, 7, 4), new(2025, 9, 1), new(2025, 11, 27), new(2025, 12, 25),
    ];

    /// <summary>Default options (token <see cref="DefaultToken"/>).</summary>
    public static FakeEodhdOptions WithToken() => new();
}
