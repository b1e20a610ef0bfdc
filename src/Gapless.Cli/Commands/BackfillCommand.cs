using System.CommandLine;
using Gapless.Cli.Output;
using Gapless.Core.Backfill;

namespace Gapless.Cli.Commands;

/// <summary>
/// <c>gapless backfill</c>: fill many series at once, fetching only what each is missing, batch by batch, inside the
/// vendor's rate limit; a summary at the end, exit code 1 if any series failed.
/// </summary>
internal static class BackfillCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var selection = new SeriesSetOptions(requireSelection: true);
        var batchSize = new Option<int>("--batch-size") { Description = "Series per batch (default 50)", DefaultValueFactory = _ => 50 };
        var delay = new Option<string>("--delay") { Description = "Pause between batches, e.g. 45s or 2m (default none)" };
        var concurrency = new Option<int>("--concurrency") { Description = "Series fetched at once inside a batch (default 4)", DefaultValueFactory = _ => 4 };
        var plan = new Option<bool>("--plan") { Description = "Show the work (series, requests, time under the rate limit) and fetch nothing" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of tables" };
        var command = new Command("backfill", "Fill many series: fetch only what each is missing, in batches, inside the vendor's rate limit");
        selection.AddTo(command);
        command.Add(batchSize);
        command.Add(delay);
        command.Add(concurrency);
        command.Add(plan);
        command.Add(json);
        command.SetAction(async (parse, ct) =>
        {
            var clock = TimeProvider.System;
            var range = selection.ReadRange(parse, clock, required: true)!.Value;
            var calendar = selection.ReadCalendar(parse);
            var pause = parse.GetValue(delay) is { } text ? SeriesSetOptions.ParseDuration(text) : TimeSpan.Zero;
            if (parse.GetValue(batchSize) < 1 || parse.GetValue(concurrency) < 1)
            {
                throw new UsageException("--batch-size and --concurrency must be at least 1");
            }

            await using var session = await CliSession.OpenAsync(global.Read(parse), ct).ConfigureAwait(false);
            var series = await selection.ReadSeriesAsync(parse, session.Store, ct).ConfigureAwait(false);
            if (series.Count == 0)
            {
                throw new UsageException("no series to backfill: with --all, the store must already hold series of the provider; otherwise name them with --symbols");
            }

            var request = new BackfillRequest(series[0].Provider, series, range, calendar, parse.GetValue(batchSize), pause, parse.GetValue(concurrency));
            var runner = new BackfillRunner(session.Data, clock);
            if (parse.GetValue(plan))
            {
                BackfillOutput.WritePlan(console, await runner.PlanAsync(request, ct).ConfigureAwait(false), range, parse.GetValue(json));
                return ErrorMapping.Ok;
            }

            var report = await BackfillDisplay.RunAsync(console, progress => runner.RunAsync(request, progress, ct)).ConfigureAwait(false);
            BackfillOutput.WriteReport(console, report, parse.GetValue(json));
            return report.Failed.Any() ? ErrorMapping.Failure : ErrorMapping.Ok;
        });
        return command;
    }
}
