using Gapless.Core.Model;

namespace Gapless.FakeVendors.Polygon;

/// <summary>
/// Everything <see cref="FakePolygon"/> serves and every fault it injects. Defaults: a clean, fault-free, unlimited
/// plan whose key is <see cref="FakePolygon.DefaultApiKey"/>; every ticker trades on NYSE days from 04:00 to 20:00
/// New York time; pages hold up to 50,000 aggregates, as Polygon's do; the system clock.
/// </summary>
public sealed class FakePolygonOptions
{
    /// <summary>Seeds both the market data and the fault dice.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>The fake's "now": nothing opens after it; the aggregate holding it is partial.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The one key accepted, as a Bearer header or the <c>apiKey</c> query parameter; any other gets a 401.</summary>
    public string ApiKey { get; set; } = FakePolygon.DefaultApiKey;

    /// <summary>Requests allowed in any rolling minute; more get Polygon's 429 (without Retry-After). Null: unlimited.</summary>
    public int? RequestsPerMinute { get; set; }

    /// <summary>Tickers Polygon does not know: answered like a ticker without trades (200, no <c>results</c>).</summary>
    public IList<string> UnknownTickers { get; } = [];

    /// <summary>Vendor holes: no minute aggregate opens inside them, and no daily one whose New York midnight is inside.</summary>
    public IList<TimeRange> Holes { get; } = [];

    /// <summary>NYSE full-day holidays (no aggregates). Default: those of 2023 to 2025.</summary>
    public IList<DateOnly> Holidays { get; } = [.. FakePolygonMarket.NyseHolidays2023To2025];

    /// <summary>Plan refusals: a request matching one gets <c>403 NOT_AUTHORIZED</c>.</summary>
    public IList<FakePolygonRefusal> NotAuthorized { get; } = [];

    /// <summary>The plan's oldest data: a request whose <c>from</c> is earlier gets <c>403 NOT_AUTHORIZED</c> (free plan: two years).</summary>
    public DateTimeOffset? OldestAllowed { get; set; }

    /// <summary>A delayed plan's delay: data ends this long before "now" and answers say <c>"status":"DELAYED"</c>. Default none.</summary>
    public TimeSpan DataDelay { get; set; }

    /// <summary>The most aggregates in one page; more continue through <c>next_url</c>. Default 50,000 (Polygon's).</summary>
    public int PageSize { get; set; } = 50_000;

    /// <summary>Scheme, host and port written into <c>next_url</c>; the fake's own when null (Polygon writes its own host).</summary>
    public Uri? NextUrlBase { get; set; }

    /// <summary>Rate of aggregates answers replaced by a 5xx (502 with an HTML page, or 500 with Polygon's JSON).</summary>
    public double ServerErrorRate { get; set; }

    /// <summary>Rate of aggregates answers replaced by a 429.</summary>
    public double TooManyRequestsRate { get; set; }

    /// <summary>Rate of aggregates answers whose body is cut in half (still a complete HTTP answer).</summary>
    public double TruncatedBodyRate { get; set; }

    /// <summary>Rate of aggregates answers delayed by <see cref="SlowDelay"/> (set it beyond the client's timeout).</summary>
    public double SlowAnswerRate { get; set; }

    /// <summary>How long a slow answer waits (real time). Default 5 s.</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Aggregates requests (1 = the first received) answered with a 429, whatever the rate limit says.</summary>
    public ISet<int> TooManyRequestsOn { get; } = new HashSet<int>();

    /// <summary>Aggregates requests (1 = the first received) answered with a 503.</summary>
    public ISet<int> ServerErrorOn { get; } = new HashSet<int>();
}

/// <summary>A plan refusal: requests for <paramref name="Ticker"/> (any when null) in <paramref name="Timespan"/> (any when null).</summary>
/// <param name="Timespan">Polygon's timespan: <c>minute</c>, <c>hour</c>, <c>day</c>, <c>week</c>, <c>month</c>.</param>
public sealed record FakePolygonRefusal(string? Ticker = null, string? Timespan = null)
{
    internal bool Matches(string ticker, string timespan)
        => (Ticker is null || Ticker == ticker) && (Timespan is null || Timespan == timespan);
}
