using System.Globalization;
using Gapless.Backtesting.Runs;
using Gapless.Core.Model;
using Gapless.Core.Ports;

namespace Gapless.Cli.Output;

/// <summary>A finished backtest: the metrics table and the data it ran on for people, one JSON document for scripts.</summary>
internal static class BacktestOutput
{
    public static void Write(CliConsole console, BacktestRun run, bool json)
    {
        if (json)
        {
            console.Out.WriteLine(RunJson.Document(run));
            return;
        }

        if (run.Status == RunStatus.Failed)
        {
            return; // the error line says it
        }

        var metrics = new HumanTable(string.Empty, string.Empty) { Title = $"Backtest {run.Id}: {run.Request.Strategy} on {string.Join(", ", run.Request.Symbols)}" };
        foreach (var m in RunReport.Metrics(run))
        {
            metrics.Add(m.Label, m.Value);
        }

        metrics.Write(console);
        var data = new HumanTable("series", "range read (warm-up included)", "bars replayed", "vendor requests", "bars fetched", "missing", "coverage") { Title = "Data" };
        foreach (var d in run.Data)
        {
            var replayed = run.Result?.Series.FirstOrDefault(s => s.Symbol == d.Series.Symbol) is { } r ? r.WarmupBars + r.RangeBars : 0;
            data.Add(
                d.Series.ToString(),
                HumanTime.Range(d.Needed),
                N(replayed),
                N(d.VendorRequests),
                N(d.BarsFetched),
                N(d.Quality?.EstimatedMissingBars ?? 0),
                (d.Quality?.CoveragePercent ?? 0).ToString("0.##", CultureInfo.InvariantCulture) + " %");
        }

        data.Write(console);
        if (run.MissingBars > 0)
        {
            var notFetched = run.Data.Sum(d => d.Quality?.NotFetchedBars ?? 0);
            console.Error.WriteLine(notFetched > 0
                ? $"warning: this run replayed data with {notFetched:N0} bars never fetched (run without --no-auto-fetch to fetch them first) and {run.MissingBars - notFetched:N0} vendor holes"
                : $"note: the vendor has no bars for {run.MissingBars:N0} expected slots (vendor holes: outages or no trades)");
        }
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
