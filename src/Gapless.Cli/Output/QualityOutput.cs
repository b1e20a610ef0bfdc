using System.Globalization;
using System.Text.Json;
using Gapless.Core.Model;
using Gapless.Core.Quality;

namespace Gapless.Cli.Output;

/// <summary>
/// The quality report as a table (people), Markdown (issues, wikis) or JSON (scripts). The JSON shape is stable and
/// documented in the README: <c>{generated_at, series: [...], totals: {...}}</c>, one object per series.
/// </summary>
internal static class QualityOutput
{
    public static void Write(CliConsole console, QualityReport report, string format)
    {
        switch (format)
        {
            case "json":
                JsonOutput.Write(console.Out, w => WriteJson(w, report));
                break;
            case "md":
                WriteMarkdown(console.Out, report);
                break;
            default:
                WriteTable(console, report);
                break;
        }
    }

    private static void WriteJson(Utf8JsonWriter w, QualityReport report)
    {
        w.WriteStartObject();
        w.WriteString("generated_at", UtcTime.ToIso(UtcTime.ToEpochMs(report.GeneratedAt)));
        w.WriteStartArray("series");
        foreach (var s in report.Series)
        {
            w.WriteStartObject();
            JsonOutput.WriteSeries(w, s.Series);
            w.WriteString("calendar", s.Calendar);
            w.WriteString("from", UtcTime.ToIso(s.Range.FromMs));
            w.WriteString("to", UtcTime.ToIso(s.Range.ToMs));
            w.WriteString("first_bar", Iso(s.FirstBarMs));
            w.WriteString("last_bar", Iso(s.LastBarMs));
            w.WriteNumber("bars_held", s.BarsHeld);
            w.WriteNumber("bars_expected", s.BarsExpected);
            w.WriteNumber("estimated_missing_bars", s.EstimatedMissingBars);
            w.WriteNumber("not_fetched_bars", s.NotFetchedBars);
            w.WriteNumber("vendor_hole_bars", s.VendorHoleBars);
            w.WriteNumber("bars_outside_calendar", s.BarsOutsideCalendar);
            w.WriteNumber("coverage_pct", s.CoveragePercent);
            w.WriteStartArray("largest_gaps");
            foreach (var gap in s.LargestGaps)
            {
                w.WriteStartObject();
                w.WriteString("from", UtcTime.ToIso(gap.Range.FromMs));
                w.WriteString("to", UtcTime.ToIso(gap.Range.ToMs));
                w.WriteNumber("bars", gap.Bars);
                w.WriteString("kind", Kind(gap.Kind));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("quarantined_bars", s.QuarantinedBars);
            w.WriteString("last_expected_bar", Iso(s.LastExpectedBarMs));
            w.WriteBoolean("stale", s.Stale);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        var t = report.Totals;
        w.WriteStartObject("totals");
        w.WriteNumber("series", t.Series);
        w.WriteNumber("bars_held", t.BarsHeld);
        w.WriteNumber("bars_expected", t.BarsExpected);
        w.WriteNumber("estimated_missing_bars", t.EstimatedMissingBars);
        w.WriteNumber("not_fetched_bars", t.NotFetchedBars);
        w.WriteNumber("vendor_hole_bars", t.VendorHoleBars);
        w.WriteNumber("coverage_pct", t.CoveragePercent);
        w.WriteNumber("quarantined_bars", t.QuarantinedBars);
        w.WriteNumber("stale_series", t.StaleSeries);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static readonly string[] Headers =
        ["series", "calendar", "range (UTC)", "held", "expected", "missing", "not fetched", "vendor holes", "coverage", "largest gap", "quarantined", "stale"];

    private static IEnumerable<string[]> Rows(QualityReport report)
    {
        foreach (var s in report.Series)
        {
            var gap = s.LargestGaps.Count == 0 ? string.Empty : $"{HumanTime.Range(s.LargestGaps[0].Range)} ({N(s.LargestGaps[0].Bars)} {Kind(s.LargestGaps[0].Kind)})";
            yield return
            [
                s.Series.ToString(), s.Calendar, HumanTime.Range(s.Range), N(s.BarsHeld), N(s.BarsExpected), N(s.EstimatedMissingBars),
                N(s.NotFetchedBars), N(s.VendorHoleBars), Pct(s.CoveragePercent), gap, N(s.QuarantinedBars), s.Stale ? "STALE" : "fresh",
            ];
        }

        var t = report.Totals;
        yield return
        [
            $"total ({t.Series} series)", string.Empty, string.Empty, N(t.BarsHeld), N(t.BarsExpected), N(t.EstimatedMissingBars),
            N(t.NotFetchedBars), N(t.VendorHoleBars), Pct(t.CoveragePercent), string.Empty, N(t.QuarantinedBars), $"{t.StaleSeries} stale",
        ];
    }

    private static void WriteTable(CliConsole console, QualityReport report)
    {
        if (report.Series.Count == 0)
        {
            console.Out.WriteLine("no series to check: the store holds none that match; name some with --provider, --symbols and --timeframe");
            return;
        }

        var table = new HumanTable(Headers) { Title = "Data quality" };
        foreach (var row in Rows(report))
        {
            table.Add(row);
        }

        table.Write(console);
    }

    private static void WriteMarkdown(TextWriter output, QualityReport report)
    {
        output.WriteLine($"## Data quality ({UtcTime.ToIso(UtcTime.ToEpochMs(report.GeneratedAt))})");
        output.WriteLine();
        output.WriteLine("| " + string.Join(" | ", Headers) + " |");
        output.WriteLine("|" + string.Concat(Headers.Select((_, i) => i is >= 3 and <= 8 or 10 ? "---:|" : "---|")));
        foreach (var row in Rows(report))
        {
            output.WriteLine("| " + string.Join(" | ", row.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))) + " |");
        }
    }

    private static string Kind(GapKind kind) => kind == GapKind.VendorHole ? "vendor_hole" : "not_fetched";

    private static string? Iso(long? ms) => ms is { } v ? UtcTime.ToIso(v) : null;

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Pct(double value) => value.ToString("0.##", CultureInfo.InvariantCulture) + " %";
}
