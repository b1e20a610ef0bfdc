using System.Globalization;
using System.Text;
using Gapless.Core.Model;

namespace Gapless.Providers.Alpaca;

/// <summary>
/// One Alpaca market-data request: path and query (no secret: the keys travel in headers), and the symbols it is
/// about (for messages). Parameters always come in one order, so the fetch log reads the same from run to run.
/// </summary>
internal sealed record AlpacaRequest(string PathAndQuery, IReadOnlyList<string> Symbols)
{
    /// <summary>Every request spends one from Alpaca's per-minute request budget.</summary>
    public const int Weight = 1;

    /// <summary>The largest <c>limit</c> Alpaca accepts: bars per page (across all symbols on the multi-symbol endpoint).</summary>
    public const int MaxLimit = 10_000;

    /// <summary><c>GET /v2/stocks/{symbol}/bars</c>: one symbol's bars in <paramref name="query"/>'s window.</summary>
    public static AlpacaRequest SingleBars(string symbol, AlpacaBarsQuery query, string? pageToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var text = new StringBuilder("/v2/stocks/").Append(Uri.EscapeDataString(symbol)).Append("/bars?");
        query.AppendTo(text, pageToken);
        return new AlpacaRequest(text.ToString(), [symbol]);
    }

    /// <summary>
    /// <c>GET /v2/stocks/bars?symbols=A,B</c>: several symbols' bars. The answer is ordered by symbol, then time, and
    /// <c>limit</c> counts bars across all of them, so a page may end in the middle of a symbol.
    /// </summary>
    public static AlpacaRequest MultiBars(IReadOnlyList<string> symbols, AlpacaBarsQuery query, string? pageToken)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        ArgumentNullException.ThrowIfNull(query);
        var text = new StringBuilder("/v2/stocks/bars?symbols=")
            .AppendJoin(',', symbols.Select(Uri.EscapeDataString))
            .Append('&');
        query.AppendTo(text, pageToken);
        return new AlpacaRequest(text.ToString(), symbols);
    }
}

/// <summary>The query every bars request of one fetch shares; only <c>page_token</c> changes from page to page.</summary>
/// <param name="Timeframe">Alpaca's code: <c>1Min</c>, <c>1Day</c>.</param>
/// <param name="Start">Inclusive, RFC-3339 UTC.</param>
/// <param name="End">Inclusive, RFC-3339 UTC.</param>
/// <param name="Limit">Bars per page, 1 to 10,000.</param>
internal sealed record AlpacaBarsQuery(string Timeframe, string Start, string End, int Limit, string Adjustment, string Feed)
{
    /// <summary>The query for the bars of <paramref name="timeframe"/> whose Gapless open time lies in <paramref name="chunk"/>.</summary>
    /// <param name="expectedBars">Bars the chunk may hold (all symbols together); the page size, capped at 10,000.</param>
    public static AlpacaBarsQuery For(Timeframe timeframe, TimeRange chunk, long expectedBars, AlpacaFeed feed, AlpacaAdjustment adjustment)
    {
        var code = AlpacaWire.Code(timeframe) ?? throw new ArgumentException($"alpaca does not serve {timeframe.Code} bars", nameof(timeframe));
        var (start, end) = AlpacaWire.Window(timeframe, chunk);
        return new AlpacaBarsQuery(
            code,
            AlpacaWire.Rfc3339(start),
            AlpacaWire.Rfc3339(end),
            (int)Math.Clamp(expectedBars, 1, AlpacaRequest.MaxLimit),
            AlpacaWire.Adjustment(adjustment),
            AlpacaWire.Feed(feed));
    }

    public void AppendTo(StringBuilder text, string? pageToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        text.Append(CultureInfo.InvariantCulture, $"timeframe={Timeframe}&start={Start}&end={End}&limit={Limit}&adjustment={Adjustment}&feed={Feed}&sort=asc");
        if (pageToken is not null)
        {
            text.Append("&page_token=").Append(Uri.EscapeDataString(pageToken));
        }
    }
}
