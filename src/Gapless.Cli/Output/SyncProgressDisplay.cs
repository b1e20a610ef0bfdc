using Gapless.Core.Sync;
using Spectre.Console;

namespace Gapless.Cli.Output;

/// <summary>
/// Shows a sync as it goes, on stderr so stdout stays clean for data: a live progress bar on a terminal, a plain
/// line at most every second (and at the end) when redirected.
/// </summary>
internal static class SyncProgressDisplay
{
    public static async Task<T> RunAsync<T>(CliConsole console, string label, Func<IProgress<SyncProgress>, Task<T>> work)
    {
        if (!console.ErrorIsTerminal)
        {
            return await work(new PlainProgress(console.Error, TimeProvider.System)).ConfigureAwait(false);
        }

        var ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Error) });
        T result = default!;
        await ansi.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(label), maxValue: 1);
                task.IsIndeterminate = true;
                result = await work(new BarProgress(task, label)).ConfigureAwait(false);
                task.IsIndeterminate = false;
                task.Value = task.MaxValue;
            }).ConfigureAwait(false);
        return result;
    }

    private sealed class BarProgress(ProgressTask task, string label) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value)
        {
            task.IsIndeterminate = false;
            task.MaxValue = Math.Max(1, value.ChunksTotal);
            task.Value = value.ChunksDone;
            var failed = value.ChunksFailed > 0 ? $" [red]{value.ChunksFailed} failed[/]" : string.Empty;
            task.Description = $"{Markup.Escape(label)} {value.ChunksDone}/{value.ChunksTotal} chunks, {value.BarsFetched:N0} bars{failed}";
        }
    }

    /// <summary>Quiet for work that ends within a second; then a line a second until the end.</summary>
    private sealed class PlainProgress(TextWriter error, TimeProvider clock) : IProgress<SyncProgress>
    {
        private readonly Lock _gate = new();
        private readonly long _started = clock.GetTimestamp();
        private long _lastWrite = long.MinValue;

        public void Report(SyncProgress value)
        {
            lock (_gate)
            {
                var now = clock.GetTimestamp();
                if (clock.GetElapsedTime(_started, now) < TimeSpan.FromSeconds(1))
                {
                    return;
                }

                // The summary that follows says how it ended; progress lines are for the way there.
                var due = _lastWrite == long.MinValue || clock.GetElapsedTime(_lastWrite, now) >= TimeSpan.FromSeconds(1);
                if (!due || value.ChunksDone == value.ChunksTotal)
                {
                    return;
                }

                _lastWrite = now;
                var failed = value.ChunksFailed > 0 ? $", {value.ChunksFailed} failed" : string.Empty;
                error.WriteLine($"{value.Series}: {value.ChunksDone}/{value.ChunksTotal} chunks, {value.BarsFetched} bars, {value.Requests} requests{failed}");
            }
        }
    }
}
