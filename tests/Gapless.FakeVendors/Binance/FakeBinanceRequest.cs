namespace Gapless.FakeVendors.Binance;

/// <summary>One request the fake received, as its log records it.</summary>
/// <param name="At">Arrival, by the fake's clock.</param>
/// <param name="PathAndQuery">As sent.</param>
/// <param name="Weight">Weight counted against the REQUEST_WEIGHT windows (0 when not counted).</param>
/// <param name="Status">HTTP status answered.</param>
/// <param name="Rows">Klines in the answer.</param>
/// <param name="RetryAfterFrom">Start of the Retry-After window in force at arrival, or opened by this answer (when its 429 was sent); else null.</param>
/// <param name="RetryAfterUntil">End of that Retry-After window, or null.</param>
/// <param name="InsideRetryAfter">True when the request arrived inside a Retry-After window after the in-flight grace: a violation Binance bans for.</param>
/// <param name="Fault">The fault injected into the answer, if any: <c>5xx</c>, <c>429</c>, <c>slow</c>, <c>truncated</c>, <c>weight</c> (budget exceeded).</param>
public sealed record FakeBinanceRequest(
    DateTimeOffset At,
    string PathAndQuery,
    int Weight,
    int Status,
    int Rows,
    DateTimeOffset? RetryAfterFrom,
    DateTimeOffset? RetryAfterUntil,
    bool InsideRetryAfter,
    string? Fault)
{
    /// <summary>The path alone: <c>/api/v3/klines</c>.</summary>
    public string Path => PathAndQuery.Split('?')[0];

    public bool IsKlines => Path == "/api/v3/klines";
}
