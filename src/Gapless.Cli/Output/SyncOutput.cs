using System.Globalization;
using Gapless.Core.Model;
using Gapless.Core.Sync;

namespace Gapless.Cli.Output;

/// <summary>Presents sync plans and reports: a table for people, one JSON object for scripts.</summary>
internal static class SyncOutput
{
    public static void WriteReport(CliConsole console, SyncReport report, bool json)
    {
        if (json)
        {
            JsonOutput.Write(console.Out, w =>
            {
                w.WriteStartObject();
                JsonOutput.WriteSeries(w, report.Series);
                w.WriteNumber("requests", report.Requests);
                w.WriteNumber("bars_fetched", report.BarsFetched);
                w.WriteNumber("bars_stored", report.BarsStored);
                w.WriteNumber("bars_quarantined", report.BarsQuarantined);
                JsonOutput.WriteRanges(w, "ranges_missing_before", report.MissingBefore);
                JsonOutput.WriteRanges(w, "ranges_missing_after", report.MissingAfter);
                w.WriteBoolean("complete", report.IsComplete);
                w.WriteString("horizon", UtcTime.ToIso(report.HorizonMs));
                w.WriteStartArray("failures");
                foreach (var f in report.Failures)
                {
                    w.WriteStartObject();
                    w.WriteString("from", UtcTime.ToIso(f.Chunk.FromMs));
                    w.WriteString("to", UtcTime.ToIso(f.Chunk.ToMs));
                    w.WriteString("status", f.Status.ToString().ToLowerInvariant());
                    w.WriteString("error", f.Error);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteNumber("elapsed_ms", (long)report.Elapsed.TotalMilliseconds);
                w.WriteEndObject();
            });
            return;
        }

        var table = new HumanTable("", "") { Title = $"fetch {report.Series}" };
        table.Add("missing before", Describe(report.MissingBefore, report.Series.Timeframe));
        table.Add("requests", N(report.Requests));
        table.Add("bars fetched", N(report.BarsFetched));
        table.Add("bars stored", N(report.BarsStored));
        table.Add("bars quarantined", N(report.BarsQuarantined));
        table.Add("still missing", Describe(report.MissingAfter, report.Series.Timeframe));
        var failures = report.Failures.ToList();
        if (failures.Count > 0)
        {
            table.Add("failed chunks", $"{failures.Count} (first: {HumanTime.Range(failures[0].Chunk)}: {failures[0].Error})");
        }

        table.Add("elapsed", $"{report.Elapsed.TotalSeconds:0.00} s");
        table.Write(console);
    }

    public static void WritePlan(CliConsole console, SyncPlan plan, bool json)
    {
        if (json)
        {
            JsonOutput.Write(console.Out, w =>
            {
                w.WriteStartObject();
                JsonOutput.WriteSeries(w, plan.Series);
                JsonOutput.WriteRanges(w, "ranges_missing", plan.Missing);
                w.WriteNumber("requests", plan.Chunks.Count);
                w.WriteNumber("bars", plan.Bars);
                w.WriteNumber("weight", plan.Weight);
                w.WriteNumber("estimated_wait_ms", (long)plan.EstimatedWait.TotalMilliseconds);
                w.WriteString("horizon", UtcTime.ToIso(plan.HorizonMs));
                w.WriteEndObject();
            });
            return;
        }

        var table = new HumanTable("missing from (UTC)", "to", "bars", "requests") { Title = $"plan for {plan.Series} (nothing fetched)" };
        foreach (var range in plan.Missing)
        {
            var chunks = plan.Chunks.Count(c => range.Contains(c));
            table.Add(HumanTime.Instant(range.FromMs), HumanTime.Instant(range.ToMs), N(plan.Series.Timeframe.CountBars(range)), N(chunks));
        }

        table.Write(console);
        console.Out.WriteLine(
            $"{N(plan.Chunks.Count)} requests, {N(plan.Bars)} bars at most, weight {N(plan.Weight)}, " +
            $"time under the rate limit: {(plan.EstimatedWait == TimeSpan.Zero ? "none (fits one window)" : plan.EstimatedWait.ToString())}");
    }

    private static string Describe(RangeSet ranges, Timeframe timeframe)
    {
        if (ranges.IsEmpty)
        {
            return "nothing";
        }

        var bars = ranges.Sum(r => timeframe.CountBars(r));
        var first = ranges.Take(3).Select(HumanTime.Range);
        var more = ranges.Count > 3 ? $" and {ranges.Count - 3} more" : string.Empty;
        return $"{N(bars)} bars in {ranges.Count} range(s): {string.Join(", ", first)}{more}";
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
