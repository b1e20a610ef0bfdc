namespace Gapless.Backtesting.Reporting;

/// <summary>The data section (per series coverage and fetching) and the trades table.</summary>
internal sealed partial class ReportRenderer
{
    private void WriteData()
    {
        var data = _report.Data;
        _w.Write("<section id=\"data\" class=\"card\">\n<h2>Data</h2>\n");
        _w.Write("<p class=\"muted\">Per series: the range the run needed (warm-up included), how much of it the store covers, and what this run fetched. "
            + "Vendor holes are ranges the vendor answered with no bars (outages, halts): known facts, never fetched again.</p>\n");
        if (data.Count == 0)
        {
            _w.Write("<p class=\"empty\">No series.</p>\n</section>\n");
            return;
        }

        _w.Write("<div class=\"scroll\"><table class=\"data\">\n<thead><tr><th>Series</th><th>Range</th><th>Coverage</th>"
            + "<th class=\"num\">Bars replayed</th><th class=\"num\">Bars fetched</th><th class=\"num\">Vendor requests</th>"
            + "<th class=\"num\">Missing bars</th><th class=\"num\">Vendor holes</th></tr></thead>\n<tbody>\n");
        foreach (var d in data)
        {
            var holeBars = d.VendorHoles.Sum(h => h.Bars);
            _w.Write($"<tr><td><span class=\"series\">{E(d.Symbol)}</span><br/><span class=\"muted\">{E(d.Provider)} \u00B7 {E(d.Timeframe)}</span></td>");
            _w.Write($"<td>{E(HtmlText.Range(d.From, d.To))}</td><td>");
            WriteCoverageBar(d);
            _w.Write($"</td><td class=\"num\">{E(HtmlText.Count(d.BarsReplayed))}</td><td class=\"num\">{E(HtmlText.Count(d.BarsFetched))}</td>");
            _w.Write($"<td class=\"num\">{E(HtmlText.Count(d.VendorRequests))}</td><td class=\"num{(d.MissingBars > 0 ? " bad" : string.Empty)}\">{E(HtmlText.Count(d.MissingBars))}</td>");
            _w.Write($"<td class=\"num\">{E(HtmlText.Count(d.VendorHoles.Count))} ({E(HtmlText.Count(holeBars))} bars)</td></tr>\n");
        }

        _w.Write("</tbody>\n");
        if (data.Count > 1)
        {
            _w.Write($"<tfoot><tr><th scope=\"row\" colspan=\"3\">All series</th><td class=\"num\">{E(HtmlText.Count(data.Sum(d => d.BarsReplayed)))}</td>"
                + $"<td class=\"num\">{E(HtmlText.Count(data.Sum(d => d.BarsFetched)))}</td><td class=\"num\">{E(HtmlText.Count(data.Sum(d => d.VendorRequests)))}</td>"
                + $"<td class=\"num\">{E(HtmlText.Count(data.Sum(d => d.MissingBars)))}</td><td class=\"num\">{E(HtmlText.Count(data.Sum(d => d.VendorHoles.Count)))}</td></tr></tfoot>\n");
        }

        _w.Write("</table></div>\n");
        foreach (var d in data)
        {
            WriteGapList(d, d.MissingRanges, "missing range", "missing");
            WriteGapList(d, d.VendorHoles, "vendor hole", "holes");
        }

        _w.Write("<p class=\"legend\"><span class=\"swatch covered\"></span>covered <span class=\"swatch missing\"></span>missing "
            + "<span class=\"swatch hole\"></span>vendor hole (covered, no bars)</p>\n</section>\n");
    }

    /// <summary>
    /// A small bar for the range: green where covered, red where missing (placed where the missing ranges are, or
    /// one red block for the uncovered share when they are not given), amber ticks at vendor holes.
    /// </summary>
    private void WriteCoverageBar(ReportSeriesData d)
    {
        const double width = 160;
        var pct = double.IsFinite(d.CoveragePercent) ? Math.Clamp(d.CoveragePercent, 0, 100) : 0;
        var span = (double)Math.Max(1, (d.To - d.From).Ticks);
        double X(DateTimeOffset t) => Math.Clamp((t - d.From).Ticks / span, 0, 1) * width;

        _w.Write($"<div class=\"coverage\"><svg class=\"cov\" viewBox=\"0 0 {HtmlText.Coord(width)} 10\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"{E(HtmlText.Percent(pct / 100))} covered\">");
        _w.Write($"<rect class=\"covered\" x=\"0\" y=\"0\" width=\"{HtmlText.Coord(width)}\" height=\"10\"><title>{E(HtmlText.Percent(pct / 100))} of the range covered</title></rect>");
        if (d.MissingRanges.Count > 0)
        {
            foreach (var gap in d.MissingRanges.Take(500))
            {
                var x = X(gap.From);
                _w.Write($"<rect class=\"missing\" x=\"{HtmlText.Coord(x)}\" y=\"0\" width=\"{HtmlText.Coord(Math.Max(X(gap.To) - x, 0.6))}\" height=\"10\"><title>missing {E(HtmlText.Range(gap.From, gap.To))}: {E(HtmlText.Count(gap.Bars))} bars</title></rect>");
            }
        }
        else if (pct < 100)
        {
            var covered = width * pct / 100;
            _w.Write($"<rect class=\"missing\" x=\"{HtmlText.Coord(covered)}\" y=\"0\" width=\"{HtmlText.Coord(Math.Max(width - covered, 0.6))}\" height=\"10\"><title>{E(HtmlText.Percent(1 - (pct / 100)))} of the range not covered</title></rect>");
        }

        foreach (var hole in d.VendorHoles.Take(500))
        {
            var x = X(hole.From);
            _w.Write($"<rect class=\"hole\" x=\"{HtmlText.Coord(x)}\" y=\"0\" width=\"{HtmlText.Coord(Math.Max(X(hole.To) - x, 0.8))}\" height=\"10\"><title>vendor hole {E(HtmlText.Range(hole.From, hole.To))}: {E(HtmlText.Count(hole.Bars))} bars</title></rect>");
        }

        _w.Write($"</svg><span class=\"pct\">{E(HtmlText.Percent(pct / 100, decimals: pct is > 99.99 and < 100 ? 4 : 2))}</span></div>");
    }

    private void WriteGapList(ReportSeriesData d, IReadOnlyList<ReportGap> gaps, string noun, string kind)
    {
        if (gaps.Count == 0)
        {
            return;
        }

        var shown = Math.Min(gaps.Count, _options.MaxHolesPerSeries);
        var total = gaps.Sum(g => g.Bars);
        _w.Write($"<details class=\"gaps {kind}\"><summary>{E(d.Symbol)} ({E(d.Provider)} \u00B7 {E(d.Timeframe)}): {E(HtmlText.Count(gaps.Count))} {noun}{(gaps.Count == 1 ? string.Empty : "s")}, {E(HtmlText.Count(total))} bars</summary>\n<ul>\n");
        for (var i = 0; i < shown; i++)
        {
            var g = gaps[i];
            _w.Write($"<li>{E(HtmlText.Range(g.From, g.To))} \u00B7 {E(HtmlText.Count(g.Bars))} bars</li>\n");
        }

        if (shown < gaps.Count)
        {
            _w.Write($"<li class=\"muted\">\u2026 and {E(HtmlText.Count(gaps.Count - shown))} more</li>\n");
        }

        _w.Write("</ul></details>\n");
    }

    private void WriteTrades()
    {
        var trades = _report.Trades;
        _w.Write($"<section id=\"trades\" class=\"card\">\n<h2>Trades <span class=\"count\">{E(HtmlText.Count(trades.Count))}</span></h2>\n");
        if (trades.Count == 0)
        {
            _w.Write("<p class=\"empty\">No trades.</p>\n</section>\n");
            return;
        }

        var cap = _options.MaxTradeRows;
        var head = trades.Count > cap ? cap / 2 : trades.Count;
        var tail = trades.Count > cap ? cap - head : 0;
        if (tail > 0)
        {
            _w.Write($"<p class=\"callout\" id=\"trades-truncated\">Showing the first {E(HtmlText.Count(head))} and the last {E(HtmlText.Count(tail))} of "
                + $"{E(HtmlText.Count(trades.Count))} trades; {E(HtmlText.Count(trades.Count - head - tail))} in between are left out to keep this page small.</p>\n");
        }

        _w.Write("<div class=\"scroll\"><table class=\"trades\">\n<thead><tr><th class=\"num\">#</th><th>Symbol</th><th>Side</th><th class=\"num\">Quantity</th>"
            + "<th>Entry</th><th class=\"num\">Entry price</th><th>Exit</th><th class=\"num\">Exit price</th><th class=\"num\">Fees</th>"
            + "<th class=\"num\">P&amp;L</th><th class=\"num\">Return</th></tr></thead>\n<tbody>\n");
        for (var i = 0; i < head; i++)
        {
            WriteTrade(i, trades[i]);
        }

        if (tail > 0)
        {
            _w.Write($"<tr class=\"gap-row\"><td colspan=\"11\">\u2026 {E(HtmlText.Count(trades.Count - head - tail))} trades not shown \u2026</td></tr>\n");
            for (var i = trades.Count - tail; i < trades.Count; i++)
            {
                WriteTrade(i, trades[i]);
            }
        }

        _w.Write("</tbody></table></div>\n</section>\n");
    }

    private void WriteTrade(int index, ReportTrade t)
    {
        var side = t.Side ?? string.Empty;
        var sideClass = side.ToUpperInvariant() switch
        {
            "LONG" => " long",
            "SHORT" => " short",
            _ => string.Empty,
        };
        var pnlClass = t.Pnl > 0 ? " class=\"pos\"" : t.Pnl < 0 ? " class=\"neg\"" : string.Empty;
        var exit = t.IsOpen ? "open" : t.ExitTime is { } exitTime ? HtmlText.Time(exitTime) : "\u2014";
        var exitPrice = t.ExitPrice is { } price ? HtmlText.Price(price) : "\u2014";
        // Alignment and wrapping come from the stylesheet by column, so a row carries no classes but its P&L colour.
        _w.Write($"<tr{(t.IsOpen ? " class=\"open\"" : string.Empty)}><td>{index + 1}</td><td>{E(t.Symbol)}</td><td><span class=\"side{sideClass}\">{E(side)}</span></td>");
        _w.Write($"<td>{E(HtmlText.Price(t.Quantity))}</td><td>{E(HtmlText.Time(t.EntryTime))}</td><td>{E(HtmlText.Price(t.EntryPrice))}</td>");
        _w.Write($"<td>{E(exit)}</td><td>{E(exitPrice)}{(t.IsOpen ? " (mark)" : string.Empty)}</td><td>{E(HtmlText.Money(t.Fees))}</td>");
        _w.Write($"<td{pnlClass}>{E(HtmlText.Money(t.Pnl))}</td><td{pnlClass}>{E(HtmlText.Percent(t.Return, withSign: true))}</td></tr>\n");
    }
}
