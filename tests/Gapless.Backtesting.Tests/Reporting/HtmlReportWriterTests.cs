using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Gapless.Backtesting.Reporting;

namespace Gapless.Backtesting.Tests.Reporting;

public sealed partial class HtmlReportWriterTests
{

    [Fact]
    public void Write_TypicalReport_IsWellFormedWithBothChartsAsSvg()
    {
        var doc = ReportHtml.Parse(HtmlReportWriter.ToHtml(ReportSamples.Typical()));

        Assert.Equal("html", doc.Root!.Name.LocalName);
        var equity = ReportHtml.ById(doc, "equity-path");
        var drawdown = ReportHtml.ById(doc, "drawdown-path");
        Assert.Equal("svg", equity.Parent!.Name.LocalName);
        Assert.Matches(@"^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+){100,}$", (string)equity.Attribute("d")!);
        Assert.Matches(@"^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+)+Z$", (string)drawdown.Attribute("d")!);

        // Axes: value labels, date ticks, gridlines; hover tooltips; markers with titles.
        var chart = ReportHtml.ById(doc, "equity-chart");
        Assert.True(chart.Descendants("g").Single(g => (string?)g.Attribute("class") == "ylab").Elements("text").Count() >= 3);
        var dates = chart.Descendants("g").Single(g => (string?)g.Attribute("class") == "xlab").Elements("text").Select(t => t.Value).ToList();
        Assert.True(dates.Count >= 3, string.Join(", ", dates));
        Assert.Contains("Jan 8", dates);
        Assert.Contains(chart.Descendants("path"), p => (string?)p.Attribute("class") == "grid");
        var hover = chart.Descendants("g").Single(g => (string?)g.Attribute("class") == "hover").Elements("rect").ToList();
        Assert.Equal(120, hover.Count);
        Assert.All(hover, r => Assert.Contains("equity", r.Element("title")!.Value, StringComparison.Ordinal));
        Assert.Contains(chart.Descendants("text"), t => (string?)t.Attribute("class") == "end-label");
    }

    [Fact]
    public void Write_Report_ReferencesNothingOutsideTheFile()
    {
        var html = HtmlReportWriter.ToHtml(ReportSamples.Typical());
        var doc = ReportHtml.Parse(html);

        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@font-face", html, StringComparison.OrdinalIgnoreCase);
        var loaders = doc.Descendants().Where(e => e.Name.LocalName is "script" or "link" or "img" or "iframe" or "object" or "embed" or "image" or "use").ToList();
        Assert.Empty(loaders);
        Assert.DoesNotContain(doc.Descendants().Attributes(), a => a.Name.LocalName is "src" or "href" or "srcset" or "xlink:href");
        var csp = doc.Descendants("meta").Single(m => (string?)m.Attribute("http-equiv") == "Content-Security-Policy");
        Assert.StartsWith("default-src 'none'", (string)csp.Attribute("content")!, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_HostileTexts_AreEscapedAndStayText()
    {
        var html = HtmlReportWriter.ToHtml(ReportSamples.Hostile());
        var doc = ReportHtml.Parse(html); // control characters were replaced, or this would throw

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain(doc.Descendants(), e => e.Name.LocalName is "script" or "img" or "iframe" or "i" or "b");
        Assert.DoesNotContain(doc.Descendants().Attributes(), a => a.Name.LocalName.StartsWith("on", StringComparison.Ordinal));
        Assert.Equal(ReportStyles.Css, doc.Descendants("style").Single().Value);

        // The texts read back exactly as given.
        Assert.Equal("run for " + ReportSamples.HostileSymbol + " & friends", doc.Descendants("h1").Single().Value);
        Assert.Contains(ReportHtml.BodyRows(doc, "trades"), row => row[1] == ReportSamples.HostileSymbol && row[2] == "<b>long</b>");
        Assert.Contains(doc.Descendants("dd"), dd => dd.Value == "fast<=" + ReportSamples.HostileParam);
        Assert.Equal("id\"'<>&\uFFFD", ReportHtml.ById(doc, "run-id").Value);
    }

    [Fact]
    public void Write_ShowsTheMetricsTradesAndDataGiven()
    {
        var report = ReportSamples.Typical();
        var doc = ReportHtml.Parse(HtmlReportWriter.ToHtml(report));

        var metrics = ReportHtml.BodyRows(doc, "metrics").Select(r => (r[0], r[1])).ToList();
        Assert.Equal(report.Metrics.Select(m => (m.Label, m.Value)), metrics);
        var raw = ReportHtml.ById(doc, "metrics").Descendants("td").Select(td => (string?)td.Attribute("data-raw")).ToList();
        Assert.Equal("0.1234", raw[0]);
        Assert.Null(raw[^1]);

        var trades = ReportHtml.BodyRows(doc, "trades");
        Assert.Equal(24, trades.Count);
        Assert.Equal(["1", "BTCUSDT", "long", "0.05", "2024-01-01 00:00", "42,000.01", "2024-01-01 01:35", "41,849.51", "4.20", "\u221211.73", "\u22120.56\u202F%"], trades[0]);
        Assert.Equal(["2", "ETHUSDT", "long", "0.05", "2024-01-01 03:00", "42,010.01", "2024-01-01 04:35", "42,220.26", "4.20", "6.31", "+0.30\u202F%"], trades[1]);
        Assert.Equal("short", trades[3][2]);

        var data = ReportHtml.BodyRows(doc, "data");
        Assert.Equal(2, data.Count);
        Assert.StartsWith("BTCUSDT", data[0][0], StringComparison.Ordinal);
        Assert.Equal("2023-12-31 23:10 \u2192 2024-01-31 00:00 UTC", data[0][1]);
        var coverage = ReportHtml.ById(doc, "data").Descendants("span").Where(e => (string?)e.Attribute("class") == "pct").Select(e => e.Value);
        Assert.Equal(["99.50\u202F%", "97.25\u202F%"], coverage);
        Assert.Equal(["43,250", "12,345", "13", "0", "1 (45 bars)"], data[0][3..]);
        Assert.Equal(["43,130", "0", "0", "120", "0 (0 bars)"], data[1][3..]);
        var totals = ReportHtml.ById(doc, "data").Descendants("tfoot").Single().Descendants("td").Select(td => td.Value).ToList();
        Assert.Equal(["86,380", "12,345", "13", "120", "1"], totals);

        var gaps = ReportHtml.ById(doc, "data").Descendants("details").Select(d => d.Value).ToList();
        Assert.Contains(gaps, g => g.Contains("1 vendor hole, 45 bars", StringComparison.Ordinal) && g.Contains("2024-01-04 10:00 \u2192 10:45 UTC \u00B7 45 bars", StringComparison.Ordinal));
        Assert.Contains(gaps, g => g.Contains("1 missing range, 120 bars", StringComparison.Ordinal));
        Assert.Contains("120 bars missing.", doc.Descendants("strong").Select(s => s.Value));

        var request = doc.Descendants("dd").Select(d => d.Value).ToList();
        Assert.Equal(["binance", "BTCUSDT, ETHUSDT", "1m", "2024-01-01 00:00 \u2192 2024-01-31 00:00 UTC", "sma-cross", "fast=20, slow=50", "10,000.00", "10 bps + 1.00 per order"], request);
        Assert.Equal("completed", ReportHtml.ById(doc, "status").Value);
    }

    [Fact]
    public void Write_ManyTrades_ShowsFirstAndLastHalfAndSaysSo()
    {
        var report = ReportSamples.Typical(points: 2_000, trades: 1_234);
        var doc = ReportHtml.Parse(HtmlReportWriter.ToHtml(report));

        var rows = ReportHtml.BodyRows(doc, "trades");
        Assert.Equal(1_001, rows.Count); // 500 + the gap row + 500
        Assert.Equal("1", rows[0][0]);
        Assert.Equal("500", rows[499][0]);
        Assert.Equal("\u2026 234 trades not shown \u2026", rows[500][0]);
        Assert.Equal("735", rows[501][0]);
        Assert.Equal("1234", rows[^1][0]);
        Assert.Contains("Showing the first 500 and the last 500 of 1,234 trades", ReportHtml.ById(doc, "trades-truncated").Value, StringComparison.Ordinal);

        var fewer = ReportHtml.Parse(HtmlReportWriter.ToHtml(report, new HtmlReportOptions { MaxTradeRows = 10 }));
        Assert.Equal(11, ReportHtml.BodyRows(fewer, "trades").Count);
    }

    [Fact]
    public void Write_FailedRunWithNoEquity_ShowsTheErrorAndNoCharts()
    {
        var report = ReportSamples.Typical(points: 10, trades: 0) with
        {
            Status = "failed",
            Equity = ReportEquity.Empty,
            Metrics = [],
            Error = "Failed to fetch required historical data: binance refused symbol NOPE (-1121 Invalid symbol)",
        };
        var doc = ReportHtml.Parse(HtmlReportWriter.ToHtml(report));

        Assert.Equal("failed", ReportHtml.ById(doc, "status").Value);
        Assert.Contains(doc.Descendants("div"), d => (string?)d.Attribute("role") == "alert" && d.Value.Contains("-1121 Invalid symbol", StringComparison.Ordinal));
        Assert.DoesNotContain(doc.Descendants("svg"), s => (string?)s.Attribute("class") == "chart");
        Assert.Contains("No equity curve", ReportHtml.ById(doc, "equity").Value, StringComparison.Ordinal);
        Assert.Contains("No trades.", ReportHtml.ById(doc, "trades").Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_OnePointCurve_DrawsWithoutDividingByZero()
    {
        var report = ReportSamples.Typical(points: 1, trades: 0);
        var doc = ReportHtml.Parse(HtmlReportWriter.ToHtml(report));

        Assert.DoesNotContain("NaN", (string)ReportHtml.ById(doc, "equity-chart").ToString(), StringComparison.Ordinal);
        Assert.Contains("no drawdown", ReportHtml.ById(doc, "drawdown-chart").Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NonFiniteEquity_BreaksTheLineInsteadOfWritingNaN()
    {
        var report = ReportSamples.Typical(points: 10, trades: 0) with
        {
            Equity = new ReportEquity([1, 2, 3, 4, 5], [100.0, 101, double.NaN, 99, double.PositiveInfinity]),
        };
        var html = HtmlReportWriter.ToHtml(report);

        Assert.DoesNotContain("NaN", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", html, StringComparison.Ordinal);
        Assert.Matches(@"^M[\d.]+,[\d.]+L[\d.]+,[\d.]+M[\d.]+,[\d.]+$", (string)ReportHtml.ById(ReportHtml.Parse(html), "equity-path").Attribute("d")!);
    }

    [Fact]
    public void Write_EquityColumnsOutOfOrderOrUneven_Throws()
    {
        var report = ReportSamples.Typical(points: 10, trades: 0);
        var backwards = report with { Equity = new ReportEquity([2, 1], [1.0, 2.0]) };
        var uneven = report with { Equity = new ReportEquity([1, 2], [1.0]) };

        Assert.Contains("strictly ascending", Assert.Throws<ArgumentException>(() => HtmlReportWriter.ToHtml(backwards)).Message, StringComparison.Ordinal);
        Assert.Contains("as many", Assert.Throws<ArgumentException>(() => HtmlReportWriter.ToHtml(uneven)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_SameReport_SameBytes()
    {
        var report = ReportSamples.Typical(points: 5_000);
        Assert.Equal(HtmlReportWriter.ToHtml(report), HtmlReportWriter.ToHtml(report));
    }

    /// <summary>
    /// A year of 1m equity points (525,600) stays small because the charts are downsampled: about 100 KB with no
    /// trades, about 350 KB with 5,000 trades (of which 1,000 rows are shown).
    /// </summary>
    [Theory]
    [InlineData(0, 150 * 1024)]
    [InlineData(5_000, 400 * 1024)]
    public void Write_YearOfMinutePoints_StaysSmallAndKeepsTheExtremes(int trades, int maxBytes)
    {
        var report = ReportSamples.Typical(points: 525_600, trades: trades);
        var clock = Stopwatch.StartNew();
        var html = HtmlReportWriter.ToHtml(report);
        clock.Stop();
        var bytes = Encoding.UTF8.GetByteCount(html);

        Assert.True(bytes < maxBytes, $"{bytes:N0} bytes for 525,600 points and {trades} trades (limit {maxBytes:N0})");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        var doc = ReportHtml.Parse(html);
        var path = ReportHtml.ById(doc, "equity-path");
        Assert.Equal("525600", (string?)path.Attribute("data-points"));
        Assert.True((int)path.Attribute("data-drawn")! <= 4 * 836, (string?)path.Attribute("data-drawn"));

        // The path's highest and lowest points are the curve's global max and min (y grows downwards).
        var ys = PointRegex().Matches((string)path.Attribute("d")!).Select(m => double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var high = ReportHtml.ById(doc, "equity-chart").Descendants("circle").Single(c => ((string)c.Attribute("class")!).EndsWith("high", StringComparison.Ordinal));
        var low = ReportHtml.ById(doc, "equity-chart").Descendants("circle").Single(c => ((string)c.Attribute("class")!).EndsWith("low", StringComparison.Ordinal));
        Assert.Equal((double)high.Attribute("cy")!, ys.Min());
        Assert.Equal((double)low.Attribute("cy")!, ys.Max());
        var values = (double[])report.Equity.Values;
        Assert.Contains($"High {FormatMoney(values.Max())}", high.Value, StringComparison.Ordinal);
        Assert.Contains($"Low {FormatMoney(values.Min())}", low.Value, StringComparison.Ordinal);
    }

    private static string FormatMoney(double value) => value.ToString("#,##0.00", System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"[ML]([\d.]+),([\d.]+)")]
    private static partial Regex PointRegex();
}
