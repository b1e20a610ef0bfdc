using System.CommandLine;
using Gapless.Cli.Output;
using Gapless.Core.Model;

namespace Gapless.Cli.Commands;

/// <summary><c>gapless bars</c>: print the bars of a range, fetching what is missing first unless <c>--offline</c>.</summary>
internal static class BarsCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var selectors = new SeriesOptions();
        var format = new Option<string>("--format") { Description = "csv (default) or json", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "json");
        var offline = new Option<bool>("--offline") { Description = "Print what the store holds; fetch nothing" };
        var command = new Command("bars", "Print the bars of a range (CSV or JSON), complete");
        selectors.AddTo(command);
        command.Add(format);
        command.Add(offline);
        command.SetAction(async (parse, ct) =>
        {
            var (series, range) = selectors.Read(parse);
            await using var session = await CliSession.OpenAsync(global.Read(parse), ct).ConfigureAwait(false);
            BarFrame frame;
            if (parse.GetValue(offline))
            {
                frame = await session.Store.ReadAsync(series, range, ct).ConfigureAwait(false);
                await WarnIfNotCoveredAsync(session, series, range, console, ct).ConfigureAwait(false);
            }
            else
            {
                frame = await SyncProgressDisplay.RunAsync(
                    console, series.ToString(), progress => session.Data.GetBarsAsync(series, range, progress, ct)).ConfigureAwait(false);
            }

            if (parse.GetValue(format) == "json")
            {
                BarOutput.WriteJson(console.Out, frame, series.Timeframe);
            }
            else
            {
                BarOutput.WriteCsv(console.Out, frame, series.Timeframe);
            }

            return ErrorMapping.Ok;
        });
        return command;
    }

    private static async Task WarnIfNotCoveredAsync(CliSession session, Series series, TimeRange range, CliConsole console, CancellationToken ct)
    {
        var coverage = await session.Store.GetCoverageAsync(series, ct).ConfigureAwait(false);
        var missing = RangeSet.Of(series.Timeframe.AlignOutward(range)).Subtract(coverage);
        if (!missing.IsEmpty)
        {
            var bars = missing.Sum(r => series.Timeframe.CountBars(r));
            console.Error.WriteLine($"warning: {bars} bar slots in {missing.Count} range(s) are not covered (first {missing[0]}); run without --offline to fetch them");
        }
    }
}
