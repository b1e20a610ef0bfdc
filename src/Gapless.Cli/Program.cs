using System.Text;
using Gapless.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C stops cleanly: chunks in flight are abandoned, committed ones stay committed.
    e.Cancel = true;
    cancel.Cancel();
};

// Buffered stdout: a year of 1m bars is half a million lines, and Console.Out flushes every one.
await using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = false };
var console = CliConsole.System with { Out = stdout };
try
{
    return await CliApp.RunAsync(args, console, cancel.Token).ConfigureAwait(false);
}
finally
{
    await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
}
