using System.Diagnostics;
using System.Runtime.CompilerServices;
using Gapless.Backtesting.Reporting;

namespace Gapless.Backtesting.Tests.Reporting;

/// <summary>
/// The report opened in a real browser with no network: <c>scripts/check-report.sh</c> screenshots it with headless
/// Chromium (installing Debian's package when missing) and dumps the rendered DOM; the test reads the PNG's pixels.
/// Set GAPLESS_REPORT_SCREENSHOT to a path to keep the screenshot (the script does, for docs/report-sample.png).
/// </summary>
public sealed class HtmlReportBrowserTests : IDisposable
{
    private const int Width = 1280;
    private const int Height = 2000;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "gapless-report-" + Guid.NewGuid().ToString("N"));

    public HtmlReportBrowserTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Report_OpenedInHeadlessChromiumOffline_ShowsBothCharts()
    {
        var html = Path.Combine(_folder, "report.html");
        var png = Path.Combine(_folder, "report.png");
        HtmlReportWriter.WriteFile(ReportSamples.Typical(points: 90 * 24 * 60, trades: 40), html);

        var (exitCode, output) = Run("bash", Script(), html, png);

        Assert.True(exitCode == 0, $"check-report.sh exited {exitCode}:\n{output}");
        var image = PngImage.Read(File.ReadAllBytes(png));
        Assert.Equal((Width, Height), (image.Width, image.Height));

        // Not blank: a real share of the page is not background, in many colours.
        var (inked, colours) = (0, new HashSet<int>());
        var (blue, red) = (0, 0);
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var (r, g, b) = image[x, y];
                colours.Add((r << 16) | (g << 8) | b);
                if (r + g + b < 600)
                {
                    inked++;
                }

                // The equity line is blue (#2563eb); the drawdown area and line are red (#dc2626 over pink).
                if (b > 180 && b > r + 80 && b > g + 40)
                {
                    blue++;
                }

                if (r > 180 && r > g + 80 && r > b + 80)
                {
                    red++;
                }
            }
        }

        var pixels = image.Width * image.Height;
        Assert.True(inked > pixels / 50, $"only {inked} of {pixels} pixels are not near white: the page looks blank");
        Assert.True(colours.Count > 200, $"only {colours.Count} colours: the page looks blank");
        Assert.True(blue > 1_000, $"{blue} blue pixels: the equity line did not render");
        Assert.True(red > 1_000, $"{red} red pixels: the drawdown chart did not render");

        // The DOM Chromium rendered has the SVG charts with their paths (parsed by the browser, not just by us).
        var dom = File.ReadAllText(png + ".dom.html");
        Assert.Matches("<path id=\"equity-path\"[^>]* d=\"M[0-9]", dom);
        Assert.Matches("<path id=\"drawdown-path\"[^>]* d=\"M[0-9]", dom);
        Assert.DoesNotContain("<script", dom, StringComparison.OrdinalIgnoreCase);

        if (Environment.GetEnvironmentVariable("GAPLESS_REPORT_SCREENSHOT") is { Length: > 0 } keep)
        {
            File.Copy(png, keep, overwrite: true);
        }
    }

    private static (int ExitCode, string Output) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // Installing Chromium, when it is missing, is the slow case; a screenshot takes a few seconds.
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out\n" + stdout.Result + stderr.Result);
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>scripts/check-report.sh of this checkout, found from this source file (the build output may be elsewhere).</summary>
    private static string Script([CallerFilePath] string here = "")
        => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "scripts", "check-report.sh"));
}
