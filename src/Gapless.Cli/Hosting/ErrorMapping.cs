using Gapless.Core.Errors;

namespace Gapless.Cli;

/// <summary>
/// The one place that turns exceptions into what the user sees: one line on stderr and an exit code
/// (2 for usage errors, 1 for runtime failures). Stack traces go to the log file, never to the terminal.
/// </summary>
internal static class ErrorMapping
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int Interrupted = 130;

    public static int Report(Exception exception, CliConsole console, CancellationToken cancellationToken)
    {
        var (code, message) = exception switch
        {
            UsageException u => (Usage, u.Message),
            InvalidRequestException r => (Usage, r.Message),
            OperationCanceledException when cancellationToken.IsCancellationRequested
                => (Interrupted, "interrupted; what was committed stays committed, run the command again to resume"),
            GaplessException g => (Failure, g.Message),
            _ => (Failure, $"unexpected error: {exception.Message} (details in {CliLog.Path})"),
        };

        CliLog.Write(exception);
        console.Error.WriteLine($"gapless: {OneLine(message)}");
        return code;
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
