namespace Gapless.FakeVendors.Alpaca;

/// <summary>One request the fake received, as its log records it. Credentials are never recorded, only whether they were right.</summary>
/// <param name="At">Arrival, by the fake's clock.</param>
/// <param name="PathAndQuery">As sent.</param>
/// <param name="Status">HTTP status answered.</param>
/// <param name="Rows">Bars in the answer, all symbols together.</param>
/// <param name="Authenticated">True when both key headers were present and right.</param>
/// <param name="SymbolsAnswered">The symbols with bars in the answer, in the answer's order.</param>
/// <param name="RetryAfterFrom">Start of the 429 pause in force at arrival, or opened by this answer; else null.</param>
/// <param name="RetryAfterUntil">End of that pause (the <c>X-RateLimit-Reset</c> sent), or null.</param>
/// <param name="InsideRetryAfter">True when the request arrived inside a 429 pause after the in-flight grace: the client did not wait.</param>
/// <param name="Fault">The fault injected into the answer, if any: <c>5xx</c>, <c>429</c>, <c>slow</c>, <c>truncated</c>, <c>limit</c> (budget exceeded).</param>
public sealed record FakeAlpacaRequest(
    DateTimeOffset At,
    string PathAndQuery,
    int Status,
    int Rows,
    bool Authenticated,
    IReadOnlyList<string> SymbolsAnswered,
    DateTimeOffset? RetryAfterFrom,
    DateTimeOffset? RetryAfterUntil,
    bool InsideRetryAfter,
    string? Fault)
{
    /// <summary>The path alone: <c>/v2/stocks/bars</c>.</summary>
    public string Path => PathAndQuery.Split('?')[0];

    /// <summary>The query's parameters, decoded.</summary>
    public IReadOnlyDictionary<string, string> Query
        => PathAndQuery.Contains('?', StringComparison.Ordinal)
            ? PathAndQuery.Split('?', 2)[1].Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2))
                .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : string.Empty, StringComparer.Ordinal)
            : new Dictionary<string, string>();

    public bool IsBars => Path.StartsWith("/v2/stocks/", StringComparison.Ordinal) && Path.EndsWith("/bars", StringComparison.Ordinal);
}
