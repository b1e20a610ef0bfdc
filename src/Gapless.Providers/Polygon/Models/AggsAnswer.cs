namespace Gapless.Providers.Polygon.Models;

/// <summary>
/// One answer of <c>GET /v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/{from}/{to}</c> as Polygon sends it:
/// <c>{"ticker","queryCount","resultsCount","adjusted","results":[…],"status","request_id","count","next_url"}</c>.
/// An empty answer has no <c>results</c> key at all (<see cref="Results"/> is then empty); <c>next_url</c> is there
/// only when more pages follow, and never carries the API key.
/// </summary>
/// <param name="Status"><c>OK</c>, or <c>DELAYED</c> on plans with delayed data; <c>ERROR</c>/<c>NOT_AUTHORIZED</c> on refusals.</param>
internal sealed record AggsAnswer(
    string? Ticker,
    string? Status,
    string? RequestId,
    int? ResultsCount,
    IReadOnlyList<AggRow> Results,
    string? NextUrl,
    string? Error,
    string? Message);

/// <summary>
/// One aggregate exactly as sent: <c>{"v":7.0254e+07,"vw":74.6099,"o":74.06,"c":75.0875,"h":75.15,"l":73.7975,"t":1577941200000,"n":1}</c>.
/// Every number is read as a decimal from its JSON text (so <c>7.0254e+07</c> is exactly 70254000, never a double
/// rounded back); <paramref name="T"/> is the vendor's start of the aggregate window, epoch ms, not yet normalised.
/// </summary>
/// <param name="Vw">Volume-weighted average price, when sent.</param>
/// <param name="N">Number of trades, when sent.</param>
internal readonly record struct AggRow(long T, decimal O, decimal H, decimal L, decimal C, decimal V, decimal? Vw, long? N);
