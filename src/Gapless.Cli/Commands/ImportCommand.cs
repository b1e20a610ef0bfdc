using System.CommandLine;
using Gapless.Cli.Output;
using Gapless.Core.Import;
using Gapless.Providers.Csv;

namespace Gapless.Cli.Commands;

/// <summary>
/// <c>gapless import</c>: load bar files (Binance public-data archives, generic CSVs) into the <c>csv</c> provider's
/// series, validated and committed with the coverage the files prove. Every file is checked (checksum, format,
/// timeframe) before the store is opened.
/// </summary>
internal static class ImportCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var provider = new Option<string>("--provider") { Description = "The series' provider: csv (the default; imported series are csv series)", DefaultValueFactory = _ => "csv" };
        var symbol = new Option<string>("--symbol") { Description = "Symbol to import into, e.g. BTCUSDT (a Binance archive's name must match it)" };
        var timeframe = new Option<string>("--timeframe") { Description = "Bar interval of the files: 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M" };
        var format = new Option<string>("--format") { Description = "File layout: auto (default: decided per file), binance (kline archives) or generic (header time,open,high,low,close,volume)", DefaultValueFactory = _ => "auto" };
        var timeFormat = new Option<string>("--time-format") { Description = "Generic CSVs: a .NET date/time format for the time column, e.g. \"yyyy-MM-dd HH:mm:ss\" (UTC unless it has an offset)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table" };
        var paths = new Argument<string[]>("FILE|DIR") { Description = ".csv or .zip files, or directories of them (taken in name order)", Arity = ArgumentArity.OneOrMore };
        var command = new Command("import", "Import bar files (Binance public-data archives, generic CSVs) into a csv series, with coverage");
        command.Add(provider);
        command.Add(symbol);
        command.Add(timeframe);
        command.Add(format);
        command.Add(timeFormat);
        command.Add(json);
        command.Add(paths);
        command.SetAction(async (parse, ct) =>
        {
            var series = SeriesInput.Parse(parse.GetValue(provider), parse.GetValue(symbol), parse.GetValue(timeframe));
            if (series.Provider != "csv")
            {
                throw new UsageException($"import writes csv series: --provider must be csv, not '{series.Provider}'");
            }

            var options = new CsvImportOptions
            {
                // Checked here, not with AcceptOnlyFromAmong, whose message spans several lines.
                Format = parse.GetValue(format)?.Trim().ToLowerInvariant() switch
                {
                    "auto" or null or "" => CsvFormat.Auto,
                    "binance" => CsvFormat.Binance,
                    "generic" => CsvFormat.Generic,
                    var other => throw new UsageException($"unknown --format '{other}'; use auto, binance or generic"),
                },
                TimeFormat = parse.GetValue(timeFormat),
            };
            if (options.Format == CsvFormat.Binance && !string.IsNullOrWhiteSpace(options.TimeFormat))
            {
                throw new UsageException("--time-format is for generic CSVs; Binance archives carry epoch times");
            }

            var files = await CsvImport.OpenAsync(parse.GetValue(paths) ?? [], series, options, ct).ConfigureAwait(false);
            await using var store = await StoreFactory.OpenAsync(global.Read(parse).DbPath, ct).ConfigureAwait(false);
            var importer = new BarImporter(store, TimeProvider.System);
            var report = await ImportOutput.RunWithProgressAsync(
                console, series.ToString(), progress => importer.ImportAsync(series, files.Select(f => f.Source).ToList(), progress, ct)).ConfigureAwait(false);
            ImportOutput.Write(console, report, files, parse.GetValue(json));
            return ErrorMapping.Ok;
        });
        return command;
    }
}
