using Gapless.Backtesting.Runs;
using Gapless.Core.Ports;
using Spectre.Console;

namespace Gapless.Cli.Output;

/// <summary>
/// Shows a backtest's status as it moves, on stderr: <c>pending → fetching_data → running → completed | failed</c>,
/// with a progress bar of chunks while fetching on a terminal, plain lines when redirected.
/// </summary>
internal static class BacktestDisplay
{
    public static async Task<BacktestRun> RunAsync(CliConsole console, Func<IProgress<BacktestProgress>, Task<BacktestRun>> work)
    {
        if (!console.ErrorIsTerminal)
        {
            return await work(new PlainProgress(console.Error)).ConfigureAwait(false);
        }

        var ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Error) });
        BacktestRun run = null!;
        await ansi.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask("status: pending", maxValue: 1);
                task.IsIndeterminate = true;
                run = await work(new LiveProgress(task)).ConfigureAwait(false);
                task.IsIndeterminate = false;
                task.Value = task.MaxValue;
            }).ConfigureAwait(false);
        return run;
    }

    private static string Name(RunStatus status) => RunJson.Status(status);

    private sealed class LiveProgress(ProgressTask task) : IProgress<BacktestProgress>
    {
        private readonly Lock _gate = new();

        public void Report(BacktestProgress value)
        {
            lock (_gate)
            {
                if (value.Fetch is { } p)
                {
                    task.IsIndeterminate = false;
                    task.MaxValue = Math.Max(1, p.ChunksTotal);
                    task.Value = p.ChunksDone;
                    task.Description = $"status: fetching_data · {Markup.Escape(p.Series.ToString())} {p.ChunksDone}/{p.ChunksTotal} chunks, {p.BarsFetched:N0} bars";
                    return;
                }

                task.IsIndeterminate = value.Status is RunStatus.Pending or RunStatus.Running;
                var color = value.Status switch { RunStatus.Completed => "green", RunStatus.Failed => "red", _ => "yellow" };
                task.Description = $"status: [{color}]{Name(value.Status)}[/]";
            }
        }
    }

    /// <summary>One line per status change, and a fetch line at most every second.</summary>
    private sealed class PlainProgress(TextWriter error) : IProgress<BacktestProgress>
    {
        private readonly Lock _gate = new();
        private RunStatus? _last;
        private long _lastFetchLine = long.MinValue;

        public void Report(BacktestProgress value)
        {
            lock (_gate)
            {
                if (value.Fetch is { } p)
                {
                    var now = TimeProvider.System.GetTimestamp();
                    if (_lastFetchLine != long.MinValue && TimeProvider.System.GetElapsedTime(_lastFetchLine, now) < TimeSpan.FromSeconds(1))
                    {
                        return;
                    }

                    _lastFetchLine = now;
                    error.WriteLine($"fetching_data: {p.Series} {p.ChunksDone}/{p.ChunksTotal} chunks, {p.BarsFetched} bars");
                    return;
                }

                if (_last != value.Status)
                {
                    _last = value.Status;
                    error.WriteLine($"status: {Name(value.Status)}");
                }
            }
        }
    }
}
