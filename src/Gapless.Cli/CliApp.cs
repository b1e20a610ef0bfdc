using System.CommandLine;
using Gapless.Cli.Commands;

namespace Gapless.Cli;

/// <summary>The <c>gapless</c> command: builds the command tree, reports usage errors, maps failures to exit codes.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        var global = new GlobalOptions();
        var root = new RootCommand("Gapless: complete market data for backtests. Fetch only what is missing, once.");
        global.AddTo(root);
        root.Add(FetchCommand.Create(global, console));
        root.Add(BarsCommand.Create(global, console));
        root.Add(CoverageCommand.Create(global, console));
        root.Add(QualityCommand.Create(global, console));
        root.Add(BackfillCommand.Create(global, console));
        root.Add(ImportCommand.Create(global, console));
        root.Add(BacktestCommand.Create(global, console));
        root.Add(RunsCommand.Create(global, console));
        root.Add(DbCommand.Create(global, console));

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            var command = parse.CommandResult.Command.Name;
            // One line, always: some parser messages list the allowed values on lines of their own.
            var message = string.Join(' ', parse.Errors[0].Message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            console.Error.WriteLine($"gapless: {message} (see: gapless {(command == root.Name ? string.Empty : command + " ")}--help)");
            return ErrorMapping.Usage;
        }

        try
        {
            var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = console.Out, Error = console.Error };
            return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            return ErrorMapping.Report(ex, console, cancellationToken);
        }
    }
}
