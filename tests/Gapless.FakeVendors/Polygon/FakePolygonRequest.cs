namespace Gapless.FakeVendors.Polygon;

/// <summary>One request the fake received, as its log records it.</summary>
/// <param name="At">Arrival, by the fake's clock.</param>
/// <param name="PathAndQuery">As received (with the key, when it came in the query).</param>
/// <param name="KeyFrom"><c>header</c>, <c>query</c>, or null when no key came.</param>
/// <param name="KeyValid">True when the key that came is the one accepted.</param>
/// <param name="Status">HTTP status answered.</param>
/// <param name="Rows">Aggregates in the answer.</param>
/// <param name="BaseAggregates">Base aggregates (minute or daily bars) the answer was built from: its <c>queryCount</c>.</param>
/// <param name="LimitReached">True when the request's <c>limit</c> of base aggregates cut the answer short.</param>
/// <param name="NextUrl">The <c>next_url</c> sent, or null.</param>
/// <param name="Fault">The fault injected, if any: <c>5xx</c>, <c>429</c>, <c>rate</c> (limit exceeded), <c>slow</c>, <c>truncated</c>.</param>
public sealed record FakePolygonRequest(
    DateTimeOffset At,
    string PathAndQuery,
    string? KeyFrom,
    bool KeyValid,
    int Status,
    int Rows,
    int BaseAggregates,
    bool LimitReached,
    string? NextUrl,
    string? Fault)
{
    /// <summary>The path alone.</summary>
    public string Path => PathAndQuery.Split('?')[0];

    public bool IsAggs => Path.StartsWith("/v2/aggs/ticker/", StringComparison.Ordinal);

    /// <summary>True for a page asked for through a <c>next_url</c> (it carries Polygon's <c>cursor</c>).</summary>
    public bool IsNextPage => PathAndQuery.Contains("cursor=", StringComparison.Ordinal);
}
