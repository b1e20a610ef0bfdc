using System.CommandLine;
using Gapless.Cli.Output;
using Gapless.Core.Ports;
using Gapless.Core.Quality;

namespace Gapless.Cli.Commands;

/// <summary><c>gapless coverage</c>: per series, what is covered, how many bars, and the holes inside coverage.</summary>
internal static class CoverageCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var provider = new Option<string>("--provider") { Description = "Only this provider" };
        var symbol = new Option<string>("--symbol") { Description = "Only this symbol" };
        var timeframe = new Option<string>("--timeframe") { Description = "Only this timeframe" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table" };
        var command = new Command("coverage", "Show what the store holds: covered ranges, bar counts, holes inside coverage");
        command.Add(provider);
        command.Add(symbol);
        command.Add(timeframe);
        command.Add(json);
        command.SetAction(async (parse, ct) =>
        {
            var filter = new SeriesFilter(
                parse.GetValue(provider)?.Trim().ToLowerInvariant(),
                parse.GetValue(symbol)?.Trim(),
                SeriesInput.ParseTimeframe(parse.GetValue(timeframe)));
            await using var session = await CliSession.OpenAsync(global.Read(parse), ct).ConfigureAwait(false);
            var rows = new List<CoverageRow>();
            foreach (var summary in await session.Store.ListSeriesAsync(filter, ct).ConfigureAwait(false))
            {
                if (summary.Coverage.IsEmpty && summary.BarCount == 0 && summary.QuarantinedCount == 0)
                {
                    continue; // only failed attempts (a mistyped symbol): nothing is held
                }

                var holes = Gapless.Core.Model.RangeSet.Empty;
                if (summary.Coverage.Span is { } span)
                {
                    var frame = await session.Store.ReadAsync(summary.Series, span, ct).ConfigureAwait(false);
                    holes = CoverageHoles.Find(summary.Coverage, frame.OpenTimes, summary.Series.Timeframe);
                }

                rows.Add(new CoverageRow(summary, holes));
            }

            CoverageOutput.Write(console, rows, parse.GetValue(json));
            return ErrorMapping.Ok;
        });
        return command;
    }
}
