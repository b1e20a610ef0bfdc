using System.CommandLine;
using Gapless.Backtesting.Reporting;
using Gapless.Backtesting.Runs;
using Gapless.Backtesting.Strategies;
using Gapless.Cli.Output;
using Gapless.Core.Ports;

namespace Gapless.Cli.Commands;

/// <summary>
/// <c>gapless backtest</c>: make the data complete (status fetching_data), replay it through a built-in strategy,
/// record the run, and show the metrics; <c>--report</c> writes a self-contained HTML report.
/// </summary>
internal static class BacktestCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var provider = new Option<string>("--provider") { Description = "Data provider: sim, binance, alpaca, polygon, eodhd" };
        var symbols = new Option<string>("--symbol") { Description = "Symbol, or several separated by commas (replayed together): BTCUSDT,ETHUSDT" };
        var timeframe = new Option<string>("--timeframe") { Description = "Bar interval: 1m 5m 15m 30m 1h 4h 1d …" };
        var from = new Option<string>("--from") { Description = "Start, UTC, inclusive: 2024-01-01" };
        var to = new Option<string>("--to") { Description = "End, UTC: a date includes that whole day" };
        var strategy = new Option<string>("--strategy") { Description = $"Built-in strategy: {string.Join(", ", BuiltInStrategies.Names)}" };
        var parameters = new Option<string[]>("--param")
        {
            Description = "Strategy parameter name=value, repeatable: --param fast=10 --param slow=30",
            AllowMultipleArgumentsPerToken = true,
        };
        var cash = new Option<double>("--cash") { Description = "Starting cash (default 10000)", DefaultValueFactory = _ => 10_000 };
        var feeBps = new Option<double>("--fee-bps") { Description = "Commission in basis points of notional (default 10)", DefaultValueFactory = _ => 10 };
        var slippage = new Option<double>("--slippage-bps") { Description = "Slippage in basis points, against you (default 0)" };
        var noAutoFetch = new Option<bool>("--no-auto-fetch") { Description = "Replay only what is stored; report the missing bars instead of fetching them" };
        var report = new Option<FileInfo>("--report") { Description = "Write a self-contained HTML report (charts, metrics, trades, data) to this file" };
        var json = new Option<bool>("--json") { Description = "Print {status, backtest_id, summary, trades, data} as JSON" };
        var command = new Command("backtest", "Backtest a built-in strategy on complete data: missing bars (and the warm-up) are fetched first");
        foreach (var option in new Option[] { provider, symbols, timeframe, from, to, strategy, parameters, cash, feeBps, slippage, noAutoFetch, report, json })
        {
            command.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            var series = SeriesInput.Parse(parse.GetValue(provider), parse.GetValue(symbols), parse.GetValue(timeframe));
            var range = TimeInput.ParseRange(parse.GetValue(from), parse.GetValue(to));
            var name = parse.GetValue(strategy);
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new UsageException($"--strategy is required; use one of {string.Join(", ", BuiltInStrategies.Names)}");
            }

            var request = new BacktestRequest(
                series.Provider,
                [.. series.Symbol.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)],
                series.Timeframe,
                range,
                name.Trim(),
                ParseParameters(parse.GetValue(parameters) ?? []),
                parse.GetValue(cash),
                parse.GetValue(feeBps),
                0,
                parse.GetValue(slippage),
                !parse.GetValue(noAutoFetch));
            await using var session = await CliSession.OpenAsync(global.Read(parse), ct).ConfigureAwait(false);
            var runs = session.Store as IRunStore ?? throw new UsageException("this store cannot record runs");
            var runner = new BacktestRunner(session.Data, runs, TimeProvider.System);
            var run = await BacktestDisplay.RunAsync(console, progress => runner.RunAsync(request, progress, ct)).ConfigureAwait(false);
            if (parse.GetValue(report) is { } file)
            {
                await HtmlReportWriter.WriteFileAsync(RunReport.Of(run, TimeProvider.System.GetUtcNow()), file.FullName, cancellationToken: ct).ConfigureAwait(false);
                console.Error.WriteLine($"report: {file.FullName}");
            }

            BacktestOutput.Write(console, run, parse.GetValue(json));
            if (run.Status == RunStatus.Failed)
            {
                console.Error.WriteLine($"gapless: {run.Error} (run {run.Id})");
                return ErrorMapping.Failure;
            }

            return ErrorMapping.Ok;
        });
        return command;
    }

    private static Dictionary<string, string> ParseParameters(string[] items)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == item.Length - 1)
            {
                throw new UsageException($"--param '{item}' is not name=value, e.g. --param fast=10");
            }

            result[item[..eq].Trim()] = item[(eq + 1)..].Trim();
        }

        return result;
    }
}
