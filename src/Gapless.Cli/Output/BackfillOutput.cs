using System.Globalization;
using Gapless.Core.Backfill;
using Gapless.Core.Model;

namespace Gapless.Cli.Output;

/// <summary>The backfill's plan and summary: tables for people, one JSON object for scripts.</summary>
internal static class BackfillOutput
{
    public static void WritePlan(CliConsole console, BackfillPlan plan, TimeRange range, bool json)
    {
        if (json)
        {
            JsonOutput.Write(console.Out, w =>
            {
                w.WriteStartObject();
                w.WriteString("from", UtcTime.ToIso(range.FromMs));
                w.WriteString("to", UtcTime.ToIso(range.ToMs));
                w.WriteNumber("series_to_fetch", plan.Plans.Count);
                w.WriteNumber("series_complete", plan.Complete.Count);
                w.WriteNumber("batches", plan.Batches);
                w.WriteNumber("requests", plan.Requests);
                w.WriteNumber("bars", plan.Bars);
                w.WriteNumber("estimated_wait_seconds", Math.Round(plan.EstimatedWait.TotalSeconds, 1));
                w.WriteStartArray("series");
                foreach (var p in plan.Plans)
                {
                    w.WriteStartObject();
                    JsonOutput.WriteSeries(w, p.Series);
                    JsonOutput.WriteRanges(w, "missing", p.Missing);
                    w.WriteNumber("requests", p.Chunks.Count);
                    w.WriteNumber("bars", p.Bars);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
            return;
        }

        var table = new HumanTable("series", "missing (UTC)", "requests", "bars") { Title = $"Backfill plan {HumanTime.Range(range)}" };
        foreach (var p in plan.Plans)
        {
            table.Add(p.Series.ToString(), string.Join(Environment.NewLine, p.Missing.Take(3).Select(HumanTime.Range)) + (p.Missing.Count > 3 ? $" … {p.Missing.Count - 3} more" : string.Empty), N(p.Chunks.Count), N(p.Bars));
        }

        table.Write(console);
        console.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{plan.Plans.Count} series to fetch, {plan.Complete.Count} complete; {N(plan.Requests)} requests in {plan.Batches} batch(es), {N(plan.Bars)} bars; at least {HumanDuration(plan.EstimatedWait)} under the rate limit"));
    }

    public static void WriteReport(CliConsole console, BackfillReport report, bool json)
    {
        if (json)
        {
            JsonOutput.Write(console.Out, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("series_processed", report.Processed);
                w.WriteNumber("series_succeeded", report.Succeeded);
                w.WriteNumber("series_failed", report.Failed.Count());
                w.WriteNumber("bars_fetched", report.BarsFetched);
                w.WriteNumber("bars_stored", report.BarsStored);
                w.WriteNumber("requests", report.Requests);
                w.WriteNumber("missing_before", report.MissingBefore);
                w.WriteNumber("missing_after", report.MissingAfter);
                w.WriteNumber("elapsed_seconds", Math.Round(report.Elapsed.TotalSeconds, 3));
                w.WriteStartArray("series");
                foreach (var r in report.Series)
                {
                    w.WriteStartObject();
                    JsonOutput.WriteSeries(w, r.Series);
                    w.WriteString("status", r.Status switch { BackfillStatus.Stored => "stored", BackfillStatus.NothingNew => "nothing_new", _ => "failed" });
                    w.WriteNumber("missing_before", r.MissingBefore);
                    w.WriteNumber("missing_after", r.MissingAfter);
                    w.WriteNumber("bars_fetched", r.BarsFetched);
                    w.WriteNumber("bars_stored", r.BarsStored);
                    w.WriteNumber("requests", r.Requests);
                    w.WriteString("error", r.Error);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
            return;
        }

        var failed = report.Failed.ToList();
        var summary = new HumanTable(string.Empty, string.Empty) { Title = "Backfill summary" }
            .Add("series processed", N(report.Processed))
            .Add("succeeded", N(report.Succeeded))
            .Add("failed", N(failed.Count))
            .Add("requests", N(report.Requests))
            .Add("bars fetched", N(report.BarsFetched))
            .Add("bars stored", N(report.BarsStored))
            .Add("missing bars before", N(report.MissingBefore))
            .Add("missing bars after", N(report.MissingAfter))
            .Add("elapsed", HumanDuration(report.Elapsed));
        summary.Write(console);
        if (failed.Count > 0)
        {
            var failures = new HumanTable("series", "reason") { Title = "Failed" };
            foreach (var f in failed)
            {
                failures.Add(f.Series.ToString(), f.Error ?? "failed");
            }

            failures.Write(console);
        }
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string HumanDuration(TimeSpan t)
        => t.TotalSeconds < 60 ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.#} s") : string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes} min {t.Seconds} s");
}
