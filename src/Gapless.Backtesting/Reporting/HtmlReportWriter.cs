using System.Text;

namespace Gapless.Backtesting.Reporting;

/// <summary>
/// Writes a <see cref="BacktestReport"/> as one self-contained HTML file: inline CSS, charts as inline SVG drawn
/// here, no script, no font, no image and no link to anything outside the file (a Content-Security-Policy in the page
/// forbids loading any), so it opens the same with no network. Every text from the report is escaped. The markup is
/// also well-formed XML. Long equity curves are downsampled for drawing (first, last, minimum and maximum per pixel
/// column), so a year of 1m bars (525,600 points) makes charts of about 100 KB. Output depends only on the report and the
/// options (no clock, no culture): the same report gives the same bytes.
/// </summary>
public static class HtmlReportWriter
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes the report's HTML to <paramref name="writer"/>.</summary>
    /// <exception cref="ArgumentException">The equity columns differ in length or their times are not strictly ascending.</exception>
    public static void Write(BacktestReport report, TextWriter writer, HtmlReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        options ??= HtmlReportOptions.Default;
        options.Validate();
        var equity = EquityColumns.From(report.Equity);
        new ReportRenderer(writer, report, equity, options).Render();
    }

    /// <summary>The report's HTML as a string.</summary>
    public static string ToHtml(BacktestReport report, HtmlReportOptions? options = null)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        Write(report, writer, options);
        return writer.ToString();
    }

    /// <summary>Writes the report to the file at <paramref name="path"/> (UTF-8, replaced if it exists).</summary>
    public static void WriteFile(BacktestReport report, string path, HtmlReportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var writer = new StreamWriter(path, append: false, Utf8NoBom);
        Write(report, writer, options);
    }

    /// <summary>Writes the report to the file at <paramref name="path"/> (UTF-8, replaced if it exists).</summary>
    public static async Task WriteFileAsync(BacktestReport report, string path, HtmlReportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var html = ToHtml(report, options);
        await File.WriteAllTextAsync(path, html, Utf8NoBom, cancellationToken);
    }
}
