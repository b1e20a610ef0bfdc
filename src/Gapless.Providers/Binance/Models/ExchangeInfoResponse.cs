using System.Text.Json.Serialization;

namespace Gapless.Providers.Binance.Models;

/// <summary>The part of <c>GET /api/v3/exchangeInfo</c> Gapless reads: the published rate limits.</summary>
internal sealed record ExchangeInfoResponse(
    [property: JsonPropertyName("rateLimits")] IReadOnlyList<RateLimitEntry>? RateLimits);

/// <summary>One entry of <c>rateLimits</c>: <c>{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000}</c>.</summary>
internal sealed record RateLimitEntry(
    [property: JsonPropertyName("rateLimitType")] string? RateLimitType,
    [property: JsonPropertyName("interval")] string? Interval,
    [property: JsonPropertyName("intervalNum")] int IntervalNum,
    [property: JsonPropertyName("limit")] int Limit);
