using System.Globalization;
using Gapless.Core.Import;
using Gapless.Core.Model;
using Gapless.Providers.Csv;
using Spectre.Console;

namespace Gapless.Cli.Output;

/// <summary>Presents an import: progress on stderr while it runs, then a table for people or one JSON object for scripts.</summary>
internal static class ImportOutput
{
    private const int MaxFileRows = 20;
    private const int MaxReasonLines = 5;

    /// <summary>A live progress bar (files, bars) on a terminal; when redirected, a plain line at most every second after the first.</summary>
    public static async Task<T> RunWithProgressAsync<T>(CliConsole console, string label, Func<IProgress<ImportProgress>, Task<T>> work)
    {
        if (!console.ErrorIsTerminal)
        {
            return await work(new PlainProgress(console.Error, TimeProvider.System)).ConfigureAwait(false);
        }

        var ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Error) });
        T result = default!;
        await ansi.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape($"import {label}"), maxValue: 1);
                task.IsIndeterminate = true;
                result = await work(new BarProgress(task, label)).ConfigureAwait(false);
                task.IsIndeterminate = false;
                task.Value = task.MaxValue;
            }).ConfigureAwait(false);
        return result;
    }

    public static void Write(CliConsole console, ImportReport report, IReadOnlyList<CsvImportFile> files, bool json)
    {
        var formats = files.ToDictionary(f => f.Name, f => f.Format == CsvFormat.Auto ? "empty" : f.Format.ToString().ToLowerInvariant(), StringComparer.Ordinal);
        if (json)
        {
            WriteJson(console, report, formats, files);
            return;
        }

        var table = new HumanTable("file", "format", "covered (UTC)", "bars read", "stored", "duplicate", "quarantined") { Title = $"import {report.Series}" };
        foreach (var f in report.Files.Take(MaxFileRows))
        {
            table.Add(f.Name, formats.GetValueOrDefault(f.Name, "?"), f.Covered is { } c ? HumanTime.Range(c) : "nothing", N(f.BarsRead), N(f.BarsStored), N(f.BarsDuplicate), N(f.BarsQuarantined));
        }

        if (report.Files.Count > MaxFileRows)
        {
            var rest = report.Files.Skip(MaxFileRows).ToList();
            table.Add($"… {rest.Count} more files", "", "", N(rest.Sum(f => f.BarsRead)), N(rest.Sum(f => f.BarsStored)), N(rest.Sum(f => f.BarsDuplicate)), N(rest.Sum(f => f.BarsQuarantined)));
        }

        if (report.Files.Count > 1)
        {
            table.Add($"total ({report.Files.Count} files)", "", "", N(report.BarsRead), N(report.BarsStored), N(report.BarsDuplicate), N(report.BarsQuarantined));
        }

        table.Write(console);
        console.Out.WriteLine($"coverage added: {Describe(report.CoverageAdded, report.Series.Timeframe)}");
        var verified = files.Count(f => f.ChecksumVerified);
        if (verified > 0)
        {
            console.Out.WriteLine($"checksums verified: {verified} of {files.Count} files");
        }

        var quarantined = report.Files.SelectMany(f => f.Quarantined.Select(q => (f.Name, q))).Take(MaxReasonLines).ToList();
        foreach (var (name, q) in quarantined)
        {
            console.Out.WriteLine($"quarantined: {name} {UtcTime.ToIso(q.Bar.OpenTimeMs)}: {q.Reason}");
        }

        if (report.BarsQuarantined > quarantined.Count)
        {
            console.Out.WriteLine($"… {N(report.BarsQuarantined - quarantined.Count)} more quarantined bars (--json lists up to 100 per file)");
        }

        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"elapsed: {report.Elapsed.TotalSeconds:0.00} s"));
    }

    private static void WriteJson(CliConsole console, ImportReport report, Dictionary<string, string> formats, IReadOnlyList<CsvImportFile> files)
    {
        var verified = files.Where(f => f.ChecksumVerified).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        JsonOutput.Write(console.Out, w =>
        {
            w.WriteStartObject();
            JsonOutput.WriteSeries(w, report.Series);
            w.WriteNumber("files_imported", report.Files.Count);
            w.WriteNumber("bars_read", report.BarsRead);
            w.WriteNumber("bars_stored", report.BarsStored);
            w.WriteNumber("bars_duplicate", report.BarsDuplicate);
            w.WriteNumber("bars_quarantined", report.BarsQuarantined);
            w.WriteNumber("commits", report.Commits);
            JsonOutput.WriteRanges(w, "covered", report.Covered);
            JsonOutput.WriteRanges(w, "coverage_added", report.CoverageAdded);
            w.WriteStartArray("files");
            foreach (var f in report.Files)
            {
                w.WriteStartObject();
                w.WriteString("file", f.Name);
                w.WriteString("format", formats.GetValueOrDefault(f.Name, "?"));
                w.WriteBoolean("checksum_verified", verified.Contains(f.Name));
                JsonOutput.WriteRanges(w, "covered", f.Covered is { } c ? [c] : []);
                w.WriteNumber("bars_read", f.BarsRead);
                w.WriteNumber("bars_stored", f.BarsStored);
                w.WriteNumber("bars_duplicate", f.BarsDuplicate);
                w.WriteNumber("bars_quarantined", f.BarsQuarantined);
                w.WriteStartArray("quarantined");
                foreach (var q in f.Quarantined)
                {
                    w.WriteStartObject();
                    w.WriteString("open_time", UtcTime.ToIso(q.Bar.OpenTimeMs));
                    w.WriteString("reason", q.Reason);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("elapsed_ms", (long)report.Elapsed.TotalMilliseconds);
            w.WriteEndObject();
        });
    }

    private static string Describe(RangeSet ranges, Timeframe timeframe)
    {
        if (ranges.IsEmpty)
        {
            return "nothing (already covered)";
        }

        var slots = ranges.Sum(r => timeframe.CountBars(r));
        var first = ranges.Take(3).Select(HumanTime.Range);
        var more = ranges.Count > 3 ? $" and {ranges.Count - 3} more" : string.Empty;
        return $"{N(slots)} bar slots in {ranges.Count} range(s): {string.Join(", ", first)}{more}";
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private sealed class BarProgress(ProgressTask task, string label) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value)
        {
            task.IsIndeterminate = false;
            task.MaxValue = Math.Max(1, value.FilesTotal);
            task.Value = value.FilesDone;
            task.Description = Markup.Escape($"import {label} {value.FilesDone}/{value.FilesTotal} files, {value.BarsRead:N0} bars read, {value.BarsStored:N0} stored");
        }
    }

    /// <summary>Quiet for an import that ends within a second; then a line a second until the end.</summary>
    private sealed class PlainProgress(TextWriter error, TimeProvider clock) : IProgress<ImportProgress>
    {
        private readonly long _started = clock.GetTimestamp();
        private long _lastWrite = long.MinValue;

        public void Report(ImportProgress value)
        {
            var now = clock.GetTimestamp();
            if (clock.GetElapsedTime(_started, now) < TimeSpan.FromSeconds(1) || value.FilesDone == value.FilesTotal
                || (_lastWrite != long.MinValue && clock.GetElapsedTime(_lastWrite, now) < TimeSpan.FromSeconds(1)))
            {
                return;
            }

            _lastWrite = now;
            error.WriteLine($"{value.Series}: {value.FilesDone}/{value.FilesTotal} files, {value.BarsRead} bars read, {value.BarsStored} stored ({value.File})");
        }
    }
}
