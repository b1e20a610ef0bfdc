namespace Gapless.Backtesting.Reporting;

/// <summary>
/// Writes one report's page, section by section. Every user text goes through <see cref="HtmlText.Escape"/>; every
/// element is closed and every attribute quoted, so the page is well-formed XML as well as HTML.
/// </summary>
internal sealed partial class ReportRenderer
{
    /// <summary>No fetch of any kind from the page: no script, no font, no image, no frame, only its own inline CSS.</summary>
    private const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

    private readonly TextWriter _w;
    private readonly BacktestReport _report;
    private readonly EquityColumns _equity;
    private readonly HtmlReportOptions _options;

    public ReportRenderer(TextWriter writer, BacktestReport report, EquityColumns equity, HtmlReportOptions options)
    {
        _w = writer;
        _report = report;
        _equity = equity;
        _options = options;
    }

    public void Render()
    {
        _w.Write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
        _w.Write($"<meta http-equiv=\"Content-Security-Policy\" content=\"{ContentSecurityPolicy}\"/>\n");
        _w.Write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<meta name=\"generator\" content=\"Gapless\"/>\n");
        _w.Write($"<title>{E(_report.Title)} \u00B7 Gapless backtest</title>\n<style>{ReportStyles.Css}</style>\n</head>\n<body>\n<main>\n");
        WriteHeader();
        WriteRequest();
        WriteMetrics();
        WriteCharts();
        WriteData();
        WriteTrades();
        _w.Write("<footer>Made by Gapless. This file is self-contained: it loads nothing from the network.</footer>\n");
        _w.Write("</main>\n</body>\n</html>\n");
    }

    private static string E(string? text) => HtmlText.Escape(text);

    private void WriteHeader()
    {
        var status = _report.Status ?? string.Empty;
        var statusClass = status.ToUpperInvariant() switch
        {
            "COMPLETED" => "ok",
            "FAILED" => "bad",
            _ => "neutral",
        };
        _w.Write("<header class=\"page-head\">\n<div>\n<p class=\"eyebrow\">Gapless backtest report</p>\n");
        _w.Write($"<h1>{E(_report.Title)}</h1>\n<p class=\"muted\">Run <code id=\"run-id\">{E(_report.RunId)}</code>");
        if (_report.GeneratedAt is { } generated)
        {
            _w.Write($" \u00B7 generated {E(HtmlText.Time(generated))} UTC");
        }

        _w.Write($"</p>\n</div>\n<span id=\"status\" class=\"badge {statusClass}\">{E(status)}</span>\n</header>\n");

        if (!string.IsNullOrEmpty(_report.Error))
        {
            _w.Write($"<div class=\"callout bad\" role=\"alert\"><strong>The run failed.</strong> {E(_report.Error)}</div>\n");
        }

        var missing = _report.Data.Sum(d => d.MissingBars);
        if (missing > 0)
        {
            _w.Write($"<div class=\"callout warn\" role=\"alert\"><strong>{E(HtmlText.Count(missing))} bars missing.</strong> "
                + "Parts of the range were outside the store's coverage, so this run replayed incomplete data; see Data below.</div>\n");
        }

        foreach (var note in _report.Notes)
        {
            _w.Write($"<div class=\"callout\">{E(note)}</div>\n");
        }
    }

    private void WriteRequest()
    {
        var r = _report.Request;
        _w.Write("<section id=\"request\" class=\"card\">\n<h2>Request</h2>\n<dl class=\"facts\">\n");
        Fact("Provider", r.Provider);
        Fact("Symbols", string.Join(", ", r.Symbols));
        Fact("Timeframe", r.Timeframe);
        Fact("Range", HtmlText.Range(r.From, r.To));
        Fact("Strategy", r.Strategy);
        Fact("Parameters", r.Parameters.Count == 0 ? "defaults" : string.Join(", ", r.Parameters.Select(p => p.Name + "=" + p.Value)));
        Fact("Starting cash", HtmlText.Money(r.Cash));
        var fees = HtmlText.Price(r.FeeBps) + " bps";
        if (r.FeePerOrder != 0)
        {
            fees += " + " + HtmlText.Money(r.FeePerOrder) + " per order";
        }

        Fact("Fees", fees);
        if (r.SlippageBps != 0)
        {
            Fact("Slippage", HtmlText.Price(r.SlippageBps) + " bps");
        }

        _w.Write("</dl>\n</section>\n");
    }

    private void Fact(string label, string value)
        => _w.Write($"<div><dt>{E(label)}</dt><dd>{E(value)}</dd></div>\n");

    private void WriteMetrics()
    {
        var metrics = _report.Metrics;
        _w.Write("<section id=\"metrics\" class=\"card\">\n<h2>Metrics</h2>\n");
        if (metrics.Count == 0)
        {
            _w.Write("<p class=\"empty\">No metrics.</p>\n</section>\n");
            return;
        }

        // The first few as headline tiles; all of them in the table, split in two columns when long.
        _w.Write("<div class=\"tiles\">");
        foreach (var m in metrics.Take(4))
        {
            _w.Write($"<div class=\"tile\"><div class=\"tile-label\">{E(m.Label)}</div><div class=\"tile-value{SignClass(m.Raw)}\">{E(m.Value)}</div></div>");
        }

        _w.Write("</div>\n<div class=\"metrics-grid\">\n");
        var half = metrics.Count > 8 ? (metrics.Count + 1) / 2 : metrics.Count;
        for (var start = 0; start < metrics.Count; start += half)
        {
            _w.Write("<table class=\"metrics\"><tbody>\n");
            for (var i = start; i < Math.Min(start + half, metrics.Count); i++)
            {
                var m = metrics[i];
                var raw = m.Raw is { } value ? $" data-raw=\"{HtmlText.Raw(value)}\"" : string.Empty;
                _w.Write($"<tr><th scope=\"row\">{E(m.Label)}</th><td class=\"num\"{raw}>{E(m.Value)}</td></tr>\n");
            }

            _w.Write("</tbody></table>\n");
        }

        _w.Write("</div>\n</section>\n");
    }

    private static string SignClass(double? raw) => raw < 0 ? " neg" : string.Empty;

    private void WriteCharts()
    {
        _w.Write("<section id=\"equity\" class=\"card\">\n<h2>Equity</h2>\n");
        if (_equity.Count > 0)
        {
            var (min, _, max, _) = EquityCharts.Extremes(_equity.Equity);
            _w.Write($"<p class=\"muted\">{E(HtmlText.Count(_equity.Count))} points \u00B7 start {E(HtmlText.Money(_equity.Equity[0]))} \u00B7 "
                + $"end {E(HtmlText.Money(_equity.Equity[^1]))} \u00B7 low {E(HtmlText.Money(min))} \u00B7 high {E(HtmlText.Money(max))}. "
                + "The shaded band is the largest drawdown; hover for values.</p>\n");
        }

        EquityCharts.WriteEquity(_w, _equity);
        _w.Write("</section>\n");
        if (_equity.Count == 0)
        {
            return;
        }

        var (_, _, worst, _) = EquityCharts.Extremes(_equity.Drawdown);
        _w.Write("<section id=\"drawdown\" class=\"card\">\n<h2>Drawdown</h2>\n");
        _w.Write($"<p class=\"muted\">How far equity is below its running peak. Largest: {E(worst > 0 ? "\u2212" + HtmlText.Percent(worst) : "none")}.</p>\n");
        EquityCharts.WriteDrawdown(_w, _equity);
        _w.Write("</section>\n");
    }
}
