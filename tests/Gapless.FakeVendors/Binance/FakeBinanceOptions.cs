using Gapless.Core.Model;

namespace Gapless.FakeVendors.Binance;

/// <summary>
/// Everything <see cref="FakeBinance"/> serves and every fault it injects. Defaults: a clean, fault-free market
/// with BTCUSDT listed 2017-08-17, Binance's published rate limits enforced, the system clock.
/// </summary>
public sealed class FakeBinanceOptions
{
    /// <summary>Seeds both the market data and the fault dice.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>The symbols the fake knows; any other gets <c>400 {"code":-1121,"msg":"Invalid symbol."}</c>.</summary>
    public IList<FakeSymbol> Symbols { get; } = [];

    /// <summary>The fake's "now": klines open at or after it do not exist yet; the one open at it is partial.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Published in exchangeInfo; every REQUEST_WEIGHT entry is enforced with 429s. Binance's own when empty.</summary>
    public IList<FakeRateLimit> RateLimits { get; } = [];

    /// <summary>Weight of a klines request (Binance: 2).</summary>
    public int KlinesWeight { get; set; } = 2;

    /// <summary>Weight of an exchangeInfo request (Binance: 20).</summary>
    public int ExchangeInfoWeight { get; set; } = 20;

    /// <summary>Rate of klines answers replaced by a 5xx.</summary>
    public double ServerErrorRate { get; set; }

    /// <summary>Rate of klines answers replaced by a 429 with <see cref="InjectedRetryAfterSeconds"/>.</summary>
    public double TooManyRequestsRate { get; set; }

    /// <summary>The Retry-After of injected 429s, in whole seconds.</summary>
    public int InjectedRetryAfterSeconds { get; set; } = 1;

    /// <summary>Rate of klines answers whose body is cut in half (still a complete HTTP answer).</summary>
    public double TruncatedBodyRate { get; set; }

    /// <summary>Rate of klines answers delayed by <see cref="SlowDelay"/> (set it beyond the client's timeout).</summary>
    public double SlowAnswerRate { get; set; }

    /// <summary>How long a slow answer waits (real time). Default 5 s.</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Rate of klines that are bad data at the source (high and low swapped). A property of the kline, not of the
    /// request: every answer carries it, and <see cref="FakeBinance.ExpectedBars"/> shows it as served.
    /// </summary>
    public double InvalidRowRate { get; set; }

    /// <summary>Answer everything with 451, as api.binance.com does from a restricted location.</summary>
    public bool Restricted { get; set; }

    /// <summary>Answer everything with 418 until then (an IP ban already in force).</summary>
    public DateTimeOffset? BannedUntil { get; set; }

    /// <summary>How long the ban lasts when a request arrives inside a Retry-After window. Default 2 minutes.</summary>
    public TimeSpan BanDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Requests arriving this soon after a 429 was sent get another 429 rather than a ban: they were already on
    /// the wire when the client learned of the first one. Later arrivals inside the window are violations (418).
    /// Default 250 ms. Binance, too, bans for failing to back off, not for a request that crossed its 429.
    /// </summary>
    public TimeSpan InFlightGrace { get; set; } = TimeSpan.FromMilliseconds(250);

    internal IReadOnlyList<FakeRateLimit> EffectiveRateLimits => RateLimits.Count > 0 ? [.. RateLimits] : FakeRateLimit.BinanceDefaults;

    /// <summary>Default options with one symbol, BTCUSDT.</summary>
    public static FakeBinanceOptions WithBtcUsdt()
    {
        var options = new FakeBinanceOptions();
        options.Symbols.Add(FakeSymbol.BtcUsdt());
        return options;
    }
}

/// <summary>A symbol the fake trades and the quirks of its history.</summary>
/// <param name="Name">As Binance spells it: <c>BTCUSDT</c>.</param>
/// <param name="ListedAtMs">No kline opens before this (requests before it get <c>[]</c>).</param>
/// <param name="BasePrice">Around where prices wander.</param>
public sealed record FakeSymbol(string Name, long ListedAtMs, decimal BasePrice)
{
    /// <summary>Ranges with no klines at all (an exchange outage): klines opening inside are absent.</summary>
    public IList<TimeRange> Holes { get; init; } = [];

    /// <summary>Trading halts: the kline holding the last trade is cut short; none opens until trading resumes.</summary>
    public IList<FakeHalt> Halts { get; init; } = [];

    /// <summary>Klines served with an open time off the interval grid: the slot holding the instant opens there.</summary>
    public IList<FakeOffGrid> OffGrid { get; init; } = [];

    /// <summary>BTCUSDT as listed on 2017-08-17 04:00 UTC, around 30,000.</summary>
    public static FakeSymbol BtcUsdt() => new("BTCUSDT", UtcTime.ToEpochMs(new DateTimeOffset(2017, 8, 17, 4, 0, 0, TimeSpan.Zero)), 30_000m);
}

/// <summary>
/// A halt: the last trade at <paramref name="LastTradeMs"/> (the cut-short kline's close time), trading again from
/// <paramref name="ResumeMs"/> (the next kline opens at the first slot at or after it).
/// </summary>
public sealed record FakeHalt(long LastTradeMs, long ResumeMs);

/// <summary>In <paramref name="Timeframe"/>, the slot holding <paramref name="OpenTimeMs"/> is served as opening there.</summary>
public sealed record FakeOffGrid(Timeframe Timeframe, long OpenTimeMs);

/// <summary>An entry of exchangeInfo's <c>rateLimits</c>; REQUEST_WEIGHT entries are enforced.</summary>
/// <param name="Interval">SECOND, MINUTE, HOUR or DAY.</param>
public sealed record FakeRateLimit(string RateLimitType, string Interval, int IntervalNum, int Limit)
{
    /// <summary>Binance spot's published limits (2024): 6000 weight per minute, order and raw-request limits.</summary>
    public static IReadOnlyList<FakeRateLimit> BinanceDefaults { get; } =
    [
        new("REQUEST_WEIGHT", "MINUTE", 1, 6000),
        new("ORDERS", "SECOND", 10, 100),
        new("ORDERS", "DAY", 1, 200000),
        new("RAW_REQUESTS", "MINUTE", 5, 61000),
    ];

    /// <summary>A REQUEST_WEIGHT limit, e.g. <c>Weight(40, "SECOND", 2)</c> for fast tests.</summary>
    public static FakeRateLimit Weight(int limit, string interval = "MINUTE", int intervalNum = 1) => new("REQUEST_WEIGHT", interval, intervalNum, limit);

    internal TimeSpan Window => Interval switch
    {
        "SECOND" => TimeSpan.FromSeconds(IntervalNum),
        "MINUTE" => TimeSpan.FromMinutes(IntervalNum),
        "HOUR" => TimeSpan.FromHours(IntervalNum),
        "DAY" => TimeSpan.FromDays(IntervalNum),
        _ => throw new InvalidOperationException($"unknown rate-limit interval '{Interval}'"),
    };

    internal string HeaderName => $"X-MBX-USED-WEIGHT-{IntervalNum}{Interval[0]}";
}
