using System.CommandLine;
using Gapless.Cli.Output;
using Gapless.Core.Errors;

namespace Gapless.Cli.Commands;

/// <summary><c>gapless fetch</c>: make a range complete, or with <c>--plan</c> show what that would fetch.</summary>
internal static class FetchCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var selectors = new SeriesOptions();
        var plan = new Option<bool>("--plan") { Description = "Show what would be fetched (ranges, requests, weight, time) and fetch nothing" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table" };
        var command = new Command("fetch", "Make a range of a series complete: fetch only what the store does not cover");
        selectors.AddTo(command);
        command.Add(plan);
        command.Add(json);
        command.SetAction(async (parse, ct) =>
        {
            var (series, range) = selectors.Read(parse);
            await using var session = await CliSession.OpenAsync(global.Read(parse), ct).ConfigureAwait(false);
            if (parse.GetValue(plan))
            {
                SyncOutput.WritePlan(console, await session.Data.PlanAsync(series, range, ct).ConfigureAwait(false), parse.GetValue(json));
                return ErrorMapping.Ok;
            }

            var report = await SyncProgressDisplay.RunAsync(
                console, series.ToString(), progress => session.Data.SyncAsync(series, range, progress, ct)).ConfigureAwait(false);
            if (!report.IsComplete && report.Chunks.All(c => !c.Succeeded) && !parse.GetValue(json))
            {
                // Nothing was fetched: the error line says all there is to say.
                throw new IncompleteDataException(report);
            }

            SyncOutput.WriteReport(console, report, parse.GetValue(json));
            return report.IsComplete ? ErrorMapping.Ok : throw new IncompleteDataException(report);
        });
        return command;
    }
}
