using System.CommandLine;
using Gapless.Cli.Output;
using Gapless.Core.Ports;

namespace Gapless.Cli.Commands;

/// <summary><c>gapless runs</c>: the recorded backtests, newest first; <c>gapless runs show ID</c>: one of them.</summary>
internal static class RunsCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table", Recursive = true };
        var limit = new Option<int>("--limit") { Description = "How many runs to list (default 20)", DefaultValueFactory = _ => 20 };
        var command = new Command("runs", "List recorded backtest runs, newest first");
        command.Add(json);
        command.Add(limit);
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(global.Read(parse), ct).ConfigureAwait(false);
            var runs = await Store(session).ListRunsAsync(Math.Max(0, parse.GetValue(limit)), ct).ConfigureAwait(false);
            RunsOutput.WriteList(console, runs, parse.GetValue(json));
            return ErrorMapping.Ok;
        });

        var id = new Argument<string>("id") { Description = "The run's id, as `gapless runs` lists it" };
        var show = new Command("show", "Show one run: request, status transitions with times, summary, trades, error");
        show.Add(id);
        show.SetAction(async (parse, ct) =>
        {
            await using var session = await CliSession.OpenAsync(global.Read(parse), ct).ConfigureAwait(false);
            var runId = parse.GetValue(id)!;
            var run = await Store(session).GetRunAsync(runId, ct).ConfigureAwait(false)
                ?? throw new UsageException($"no run '{runId}' in this store; list them with: gapless runs");
            RunsOutput.WriteOne(console, run, parse.GetValue(json));
            return ErrorMapping.Ok;
        });
        command.Add(show);
        return command;
    }

    private static IRunStore Store(CliSession session) => session.Store as IRunStore ?? throw new UsageException("this store cannot record runs");
}
