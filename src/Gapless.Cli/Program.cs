using Gapless.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C stops cleanly: chunks in flight are abandoned, committed ones stay committed.
    e.Cancel = true;
    cancel.Cancel();
};

return await CliApp.RunAsync(args, CliConsole.System, cancel.Token).ConfigureAwait(false);
