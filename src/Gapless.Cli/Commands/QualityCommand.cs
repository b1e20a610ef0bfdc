using System.CommandLine;
using Gapless.Cli.Output;
using Gapless.Core.Calendars;
using Gapless.Core.Quality;

namespace Gapless.Cli.Commands;

/// <summary>
/// <c>gapless quality</c>: per series, bars held against bars expected under the trading calendar, what is missing
/// (not fetched, vendor holes), the largest gaps, quarantine and staleness; or <c>--compare</c> two JSON reports.
/// </summary>
internal static class QualityCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var selection = new SeriesSetOptions(requireSelection: false);
        var format = new Option<string>("--format") { Description = "table (default), md or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "md", "json");
        var compare = new Option<FileInfo[]>("--compare")
        {
            Description = "Compare two JSON reports: --compare BEFORE.json AFTER.json",
            Arity = new ArgumentArity(2, 2),
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("quality", "Report data quality: expected vs held bars under the trading calendar, gaps, vendor holes, staleness");
        selection.AddTo(command);
        command.Add(format);
        command.Add(compare);
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(compare) is { Length: 2 } files)
            {
                QualityComparison.Write(console, files[0], files[1], parse.GetValue(format) == "json");
                return ErrorMapping.Ok;
            }

            var clock = TimeProvider.System;
            var range = selection.ReadRange(parse, clock, required: false);
            var calendar = selection.ReadCalendar(parse);
            await using var session = await CliSession.OpenAsync(global.Read(parse), ct).ConfigureAwait(false);
            var series = await selection.ReadSeriesAsync(parse, session.Store, ct).ConfigureAwait(false);
            var requests = series.Select(s =>
            {
                var capabilities = session.Data.Providers.Contains(s.Provider) ? session.Data.Providers.Get(s.Provider).Capabilities : null;
                return new QualityRequest(s, range, calendar ?? TradingCalendars.Get(capabilities?.Calendar ?? TradingCalendars.AlwaysOpen), capabilities);
            }).ToList();
            var report = await new QualityCheck(session.Store, clock).ReportAsync(requests, null, ct).ConfigureAwait(false);
            QualityOutput.Write(console, report, parse.GetValue(format) ?? "table");
            return ErrorMapping.Ok;
        });
        return command;
    }
}
