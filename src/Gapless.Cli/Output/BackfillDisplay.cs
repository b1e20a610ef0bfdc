using Gapless.Core.Backfill;
using Spectre.Console;

namespace Gapless.Cli.Output;

/// <summary>
/// Shows a backfill as it goes, on stderr: on a terminal a live panel (batch k/n, an overall bar, the series in
/// flight, and a line per finished series: ✓ stored, ○ nothing new, ✗ error with the reason); when redirected, one
/// plain line per batch and per finished series.
/// </summary>
internal static class BackfillDisplay
{
    public static async Task<BackfillReport> RunAsync(CliConsole console, Func<IProgress<BackfillProgress>, Task<BackfillReport>> work)
    {
        if (!console.ErrorIsTerminal)
        {
            return await work(new PlainProgress(console.Error)).ConfigureAwait(false);
        }

        var ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Error) });
        BackfillReport report = null!;
        await ansi.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var overall = ctx.AddTask("backfill", maxValue: 1);
                report = await work(new LiveProgress(ansi, overall)).ConfigureAwait(false);
                overall.Value = overall.MaxValue;
            }).ConfigureAwait(false);
        return report;
    }

    internal static string Line(BackfillSeriesResult r) => r.Status switch
    {
        BackfillStatus.Stored => $"✓ {r.Series}: stored {r.BarsStored:N0} bars in {r.Requests} request(s)",
        BackfillStatus.NothingNew => r.Requests == 0 ? $"○ {r.Series}: nothing missing" : $"○ {r.Series}: nothing new ({r.Requests} request(s))",
        _ => $"✗ {r.Series}: {r.Error}",
    };

    private sealed class LiveProgress(IAnsiConsole ansi, ProgressTask overall) : IProgress<BackfillProgress>
    {
        private readonly Lock _gate = new();

        public void Report(BackfillProgress value)
        {
            lock (_gate)
            {
                overall.MaxValue = Math.Max(1, value.SeriesTotal);
                overall.Value = value.SeriesDone;
                var running = value.Running is { } p ? $" · {Markup.Escape(p.Series.Symbol)} {p.ChunksDone}/{p.ChunksTotal} chunks" : string.Empty;
                overall.Description = $"batch {value.Batch}/{value.Batches} · {value.SeriesDone}/{value.SeriesTotal} series{running}";
                if (value.Finished is { } r)
                {
                    var color = r.Status switch { BackfillStatus.Stored => "green", BackfillStatus.NothingNew => "grey", _ => "red" };
                    ansi.MarkupLine($"[{color}]{Markup.Escape(Line(r))}[/]");
                }
            }
        }
    }

    private sealed class PlainProgress(TextWriter error) : IProgress<BackfillProgress>
    {
        private readonly Lock _gate = new();

        public void Report(BackfillProgress value)
        {
            lock (_gate)
            {
                if (value.Finished is { } r)
                {
                    error.WriteLine($"[{value.SeriesDone}/{value.SeriesTotal}] {Line(r)}");
                }
                else if (value.Running is null)
                {
                    error.WriteLine($"batch {value.Batch}/{value.Batches}");
                }
            }
        }
    }
}
