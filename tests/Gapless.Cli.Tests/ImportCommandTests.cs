using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Gapless.Core.Import;
using Gapless.Core.Model;
using Gapless.Providers.Csv;
using Gapless.Storage.Sqlite;
using Gapless.Testing;
using Gapless.Testing.Storage;

namespace Gapless.Cli.Tests;

/// <summary>
/// <c>gapless import</c> end to end (the real program, through <see cref="CliRunner"/>), and the import use case on a
/// real SQLite store (Gapless.Core.Tests has no store to use; this project has them all).
/// </summary>
public sealed class ImportCommandTests : IDisposable
{
    private const long Minute = 60_000;
    private static readonly long Jan1 = UtcTime.ToEpochMs(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private static readonly long Jan2 = Jan1 + (1440 * Minute);
    private static readonly long Jan3 = Jan2 + (1440 * Minute);
    private static readonly Series Series = new("csv", "BTCUSDT", Timeframe.M1);

    private readonly TempFolder _folder = new();
    private readonly CliRunner _cli;

    public ImportCommandTests() => _cli = new CliRunner(_folder.File("store.db"));

    public void Dispose() => _folder.Dispose();

    private const string FuturesHeader = "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore";

    private static readonly string[] Selectors = ["--provider", "csv", "--symbol", "BTCUSDT", "--timeframe", "1m"];

    /// <summary>Binance archive rows (12 fields) for the bars, as data.binance.vision writes them.</summary>
    private static List<string> ArchiveRows(IEnumerable<Bar> bars) => bars.Select(b => string.Join(
        ',',
        T(b.OpenTimeMs), D(b.Open), D(b.High), D(b.Low), D(b.Close), D(b.Volume), T(b.OpenTimeMs + Minute - 1), D(b.QuoteVolume), T(b.Trades!.Value), "0.50000000", "21000.00000000", "0")).ToList();

    private static string T(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string D(decimal? value) => value!.Value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A folder with 2024-01-01 as a zip with its .CHECKSUM (spot: no header) and 2024-01-02 as a plain csv with a header (futures).</summary>
    private string TwoDays(out List<string> rows)
    {
        var dir = Directory.CreateDirectory(_folder.File("archives")).FullName;
        var day1 = ArchiveRows(SampleBars.BtcLike(Jan1, 1440, seed: 1));
        var day2 = ArchiveRows(SampleBars.BtcLike(Jan2, 1440, seed: 2));
        var zip = Path.Combine(dir, "BTCUSDT-1m-2024-01-01.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        using (var writer = new StreamWriter(archive.CreateEntry("BTCUSDT-1m-2024-01-01.csv").Open()))
        {
            writer.Write(string.Join('\n', day1) + "\n");
        }

        File.WriteAllText(zip + ".CHECKSUM", $"{Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(zip)))}  BTCUSDT-1m-2024-01-01.zip\n");
        File.WriteAllText(Path.Combine(dir, "BTCUSDT-1m-2024-01-02.csv"), string.Join('\n', [FuturesHeader, .. day2]) + "\n");
        rows = [.. day1, .. day2];
        return dir;
    }

    private static string Compact(JsonElement e) => e.GetRawText().Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal);

    [Fact]
    public async Task Import_DirectoryOfTwoDailyArchives_BarsReadBackAreTheInputRowsExactly()
    {
        var dir = TwoDays(out var rows);

        var import = await _cli.RunAsync(["import", .. Selectors, "--json", dir]);
        var bars = await _cli.RunAsync(["bars", .. Selectors, "--from", "2024-01-01", "--to", "2024-01-02", "--format", "csv", "--offline"]);
        var coverage = await _cli.RunAsync("coverage", "--provider", "csv", "--json");

        CliAssert.Succeeded(import);
        using var report = JsonDocument.Parse(import.Stdout);
        Assert.Equal(2880, report.RootElement.GetProperty("bars_read").GetInt64());
        Assert.Equal(2880, report.RootElement.GetProperty("bars_stored").GetInt64());
        Assert.Equal(0, report.RootElement.GetProperty("bars_quarantined").GetInt64());
        Assert.Equal("""[["2024-01-01T00:00:00Z","2024-01-03T00:00:00Z"]]""", Compact(report.RootElement.GetProperty("coverage_added")));
        var files = report.RootElement.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal([true, false], files.Select(f => f.GetProperty("checksum_verified").GetBoolean()));
        Assert.All(files, f => Assert.Equal("binance", f.GetProperty("format").GetString()));

        CliAssert.Succeeded(bars);
        Assert.Equal(string.Empty, bars.Stderr); // fully covered: no warning
        var lines = bars.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("open_time,open,high,low,close,volume,close_time,quote_volume,trades", lines[0]);
        // bars prints the archive's first nine fields (count is trades), digit for digit.
        Assert.Equal(rows.Select(r => string.Join(',', r.Split(',').Take(9))), lines.Skip(1));

        CliAssert.Succeeded(coverage);
        using var held = JsonDocument.Parse(coverage.Stdout);
        var series = Assert.Single(held.RootElement.GetProperty("series").EnumerateArray());
        Assert.Equal("""[["2024-01-01T00:00:00Z","2024-01-03T00:00:00Z"]]""", Compact(series.GetProperty("covered")));
        Assert.Equal(2880, series.GetProperty("bars").GetInt64());
        Assert.Equal(0, series.GetProperty("missing_bars_in_coverage").GetInt64());
    }

    [Fact]
    public async Task Import_Again_StoresNothingAndAddsNoCoverage()
    {
        var dir = TwoDays(out _);
        CliAssert.Succeeded(await _cli.RunAsync(["import", .. Selectors, dir]));

        var again = await _cli.RunAsync(["import", .. Selectors, "--json", dir]);

        CliAssert.Succeeded(again);
        using var report = JsonDocument.Parse(again.Stdout);
        Assert.Equal(0, report.RootElement.GetProperty("bars_stored").GetInt64());
        Assert.Equal(2880, report.RootElement.GetProperty("bars_duplicate").GetInt64());
        Assert.Equal(0, report.RootElement.GetProperty("commits").GetInt32());
        Assert.Equal(0, report.RootElement.GetProperty("coverage_added").GetArrayLength());
    }

    [Fact]
    public async Task Import_Table_SummarisesFilesAndCoverage()
    {
        var dir = TwoDays(out _);

        var result = await _cli.RunAsync(["import", .. Selectors, dir]);

        CliAssert.Succeeded(result);
        Assert.Contains("import csv:BTCUSDT:1m", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("BTCUSDT-1m-2024-01-01.zip\tbinance\t2024-01-01 00:00 → 2024-01-02 00:00\t1,440\t1,440\t0\t0", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("total (2 files)\t\t\t2,880\t2,880\t0\t0", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("coverage added: 2,880 bar slots in 1 range(s): 2024-01-01 00:00 → 2024-01-03 00:00", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("checksums verified: 1 of 2 files", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_GenericCsvWithTimeFormat_ReadsBackExactly()
    {
        var path = _folder.File("spy.csv");
        File.WriteAllText(path, "time,open,high,low,close,volume\n2024-01-02 14:30:00,472.16,472.80,471.99,472.65,1524301\n2024-01-02 14:31:00,472.65,472.71,472.20,472.24,302044\n");

        var import = await _cli.RunAsync("import", "--provider", "csv", "--symbol", "SPY", "--timeframe", "1m", "--format", "generic", "--time-format", "yyyy-MM-dd HH:mm:ss", path);
        var bars = await _cli.RunAsync("bars", "--provider", "csv", "--symbol", "SPY", "--timeframe", "1m", "--from", "2024-01-02T14:30Z", "--to", "2024-01-02T14:32Z", "--offline");

        CliAssert.Succeeded(import);
        CliAssert.Succeeded(bars);
        Assert.Equal(
            ["1704205800000,472.16,472.80,471.99,472.65,1524301,1704205859999,,", "1704205860000,472.65,472.71,472.20,472.24,302044,1704205919999,,"],
            bars.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1));
    }

    [Fact]
    public async Task Import_UnparsableLinePastTheFirstBatch_ExitsOneAndKeepsTheCommittedBatchConsistent()
    {
        // 60,000 rows: the first 50,000 are one commit; line 55,000 fails after it.
        var path = _folder.File("btc.csv");
        var rows = ArchiveRows(SampleBars.BtcLike(Jan1, 60_000));
        var fields = rows[54_999].Split(',');
        fields[2] = "4200x.5";
        rows[54_999] = string.Join(',', fields);
        File.WriteAllText(path, string.Join('\n', rows) + "\n");

        var result = await _cli.RunAsync(["import", .. Selectors, path]);
        var coverage = await _cli.RunAsync("coverage", "--json");

        // A long import may print progress lines first (stderr, redirected); the error is the one last line.
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"gapless: {path}:55000: high '4200x.5' is not a decimal number", Assert.Single(result.ErrorLines, l => l.StartsWith("gapless: ", StringComparison.Ordinal)));
        Assert.StartsWith("gapless: ", result.ErrorLines[^1], StringComparison.Ordinal);
        Assert.All(result.ErrorLines.SkipLast(1), l => Assert.StartsWith("csv:BTCUSDT:1m: ", l, StringComparison.Ordinal));
        using var held = JsonDocument.Parse(coverage.Stdout);
        var series = Assert.Single(held.RootElement.GetProperty("series").EnumerateArray());
        Assert.Equal($"""[["2024-01-01T00:00:00Z","{UtcTime.ToIso(Jan1 + (50_000 * Minute))}"]]""", Compact(series.GetProperty("covered")));
        Assert.Equal(50_000, series.GetProperty("bars").GetInt64());
        Assert.Equal(0, series.GetProperty("missing_bars_in_coverage").GetInt64());
    }

    [Fact]
    public async Task Import_UnparsableLineAmongTheFirstRows_ExitsOneBeforeOpeningTheStore()
    {
        var path = _folder.File("bars.csv");
        File.WriteAllText(path, "time,open,high,low,close,volume\n2024-01-02T09:30:00Z,1,2,0.5,1.5,10\n2024-01-02T09:31:00Z,1,2,0.5,1.5\n");

        var result = await _cli.RunAsync(["import", .. Selectors, path]);

        CliAssert.OneLineError(result, 1, $"{path}:3: expected at least 6 comma-separated fields, found 5");
        Assert.False(File.Exists(_cli.DbPath));
    }

    [Fact]
    public async Task Import_ChecksumMismatch_ExitsOne()
    {
        var dir = TwoDays(out _);
        var zip = Path.Combine(dir, "BTCUSDT-1m-2024-01-01.zip");
        File.WriteAllText(zip + ".CHECKSUM", $"{new string('a', 64)}  BTCUSDT-1m-2024-01-01.zip\n");

        var result = await _cli.RunAsync(["import", .. Selectors, dir]);

        CliAssert.OneLineError(result, 1, $"{Path.Join(dir, "BTCUSDT-1m-2024-01-01.zip")}: checksum mismatch: its SHA-256 is ");
    }

    [Fact]
    public async Task Import_TimeframeMismatch_ExitsTwo()
    {
        var dir = TwoDays(out _);

        var result = await _cli.RunAsync("import", "--provider", "csv", "--symbol", "BTCUSDT", "--timeframe", "1h", dir);

        CliAssert.OneLineError(result, 2, "BTCUSDT-1m-2024-01-01.zip holds 1m bars (its name says so), not 1h; import it with timeframe 1m");
        Assert.False(File.Exists(_cli.DbPath));
    }

    [Fact]
    public async Task Import_SpacingMismatch_ExitsTwo()
    {
        var path = _folder.File("minutes.csv");
        File.WriteAllText(path, string.Join('\n', ArchiveRows(SampleBars.BtcLike(Jan1, 30))) + "\n");

        var result = await _cli.RunAsync("import", "--provider", "csv", "--symbol", "BTCUSDT", "--timeframe", "1h", path);

        CliAssert.OneLineError(result, 2, $"{path}: rows are 1m apart, closer than 1h bars can be; import it with timeframe 1m");
    }

    [Theory]
    [InlineData("no such file or directory", "missing.csv")]
    [InlineData("--provider must be csv, not 'binance'", "--provider", "binance", "x.csv")]
    [InlineData("unknown --format 'parquet'; use auto, binance or generic", "--format", "parquet", "x.csv")]
    [InlineData("--symbol is required", "--symbol", "", "x.csv")]
    [InlineData("--time-format is for generic CSVs", "--format", "binance", "--time-format", "yyyy", "x.csv")]
    public async Task Import_BadUsage_ExitsTwoWithOneLine(string message, params string[] args)
    {
        var options = new Dictionary<string, string> { ["--provider"] = "csv", ["--symbol"] = "BTCUSDT", ["--timeframe"] = "1m" };
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                options[args[i]] = args[++i];
            }
            else
            {
                rest.Add(_folder.File(args[i]));
            }
        }

        var result = await _cli.RunAsync(["import", .. options.SelectMany(kv => new[] { kv.Key, kv.Value }), .. rest]);

        CliAssert.OneLineError(result, 2, message);
    }

    [Fact]
    public async Task Import_NoPath_ExitsTwo()
    {
        var result = await _cli.RunAsync(["import", .. Selectors]);

        CliAssert.OneLineError(result, 2, "(see: gapless import --help)");
    }

    [Fact]
    public async Task Import_KilledMidRun_LeavesWholeFilesOnlyAndTheRerunCompletesExactly()
    {
        // 120 daily archives, one commit each: the kill lands between commits (or inside one, which rolls back).
        var dir = Directory.CreateDirectory(_folder.File("days")).FullName;
        var truth = SampleBars.BtcLike(Jan1, 120 * 1440, seed: 5);
        for (var d = 0; d < 120; d++)
        {
            var day = UtcTime.ToDateTimeOffset(Jan1 + (d * 1440 * Minute)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            File.WriteAllText(Path.Combine(dir, $"BTCUSDT-1m-{day}.csv"), string.Join('\n', ArchiveRows(truth.Skip(d * 1440).Take(1440))) + "\n");
        }

        var all = new TimeRange(Jan1, Jan1 + (120 * 1440 * Minute));
        await (await SqliteMarketStore.OpenAsync(_cli.DbPath)).DisposeAsync();
        using (var process = _cli.Start(["import", .. Selectors, dir]))
        {
            await using var watch = await SqliteMarketStore.OpenAsync(_cli.DbPath);
            for (var i = 0; i < 2000 && !process.HasExited && (await watch.GetCoverageAsync(Series)).IsEmpty; i++)
            {
                await Task.Delay(5);
            }

            if (!process.HasExited)
            {
                process.Kill(); // SIGKILL: no chance to clean up
            }

            await process.WaitForExitAsync();
        }

        await using (var store = await SqliteMarketStore.OpenAsync(_cli.DbPath))
        {
            var covered = await store.GetCoverageAsync(Series);
            Assert.False(covered.IsEmpty);
            Assert.All(covered, r => Assert.True(r.FromMs % (1440 * Minute) == 0 && r.ToMs % (1440 * Minute) == 0, $"{r} is not whole days"));
            BarAssert.Equal(truth.Where(b => covered.Contains(b.OpenTimeMs)).ToList(), await store.ReadAsync(Series, all));
        }

        var rerun = await _cli.RunAsync(["import", .. Selectors, dir]);

        CliAssert.Succeeded(rerun);
        await using (var store = await SqliteMarketStore.OpenAsync(_cli.DbPath))
        {
            Assert.Equal(RangeSet.Of(all), await store.GetCoverageAsync(Series));
            BarAssert.Equal(truth, await store.ReadAsync(Series, all));
        }
    }

    [Fact]
    public async Task Importer_SqliteStore_ReadBackIsExactCoverageIsTheFileSpansAndReimportAddsNothing()
    {
        var dir = TwoDays(out _);
        var expected = SampleBars.BtcLike(Jan1, 1440, seed: 1).Concat(SampleBars.BtcLike(Jan2, 1440, seed: 2)).ToList();
        // One bad bar, quarantined with its reason.
        var csv = Path.Combine(dir, "BTCUSDT-1m-2024-01-02.csv");
        var lines = File.ReadAllLines(csv);
        var fields = lines[11].Split(',');
        (fields[2], fields[3]) = (fields[3], fields[2]); // high below low
        lines[11] = string.Join(',', fields);
        File.WriteAllLines(csv, lines);
        var bad = expected[1440 + 10];
        expected.RemoveAt(1440 + 10);

        await using (var store = await SqliteMarketStore.OpenAsync(_cli.DbPath))
        {
            var first = await ImportAsync(store, dir);

            BarAssert.Equal(expected, await store.ReadAsync(Series, new TimeRange(Jan1, Jan3)));
            Assert.Equal(RangeSet.Of(new TimeRange(Jan1, Jan3)), await store.GetCoverageAsync(Series));
            Assert.Equal(RangeSet.Of(new TimeRange(Jan1, Jan3)), first.CoverageAdded);
            Assert.Equal(2879, first.BarsStored);
            var q = Assert.Single(first.Files[1].Quarantined);
            Assert.Equal(bad.OpenTimeMs, q.Bar.OpenTimeMs);
            Assert.StartsWith("high (", q.Reason, StringComparison.Ordinal);
            Assert.Equal(q.Reason, Assert.Single(await store.ReadQuarantineAsync(Series)).Reason);
            var log = await store.ReadFetchLogAsync(Series);

            var again = await ImportAsync(store, dir);

            Assert.Equal(0, again.BarsStored);
            Assert.Equal(0, again.Commits);
            Assert.Equal(1, again.BarsQuarantined);
            Assert.True(again.CoverageAdded.IsEmpty);
            BarAssert.Equal(expected, await store.ReadAsync(Series, new TimeRange(Jan1, Jan3)));
            Assert.Single(await store.ReadQuarantineAsync(Series));
            Assert.Equal(log.Count, (await store.ReadFetchLogAsync(Series)).Count);
        }
    }

    [Fact]
    public async Task Importer_SqliteStore_MonthlyArchiveInBatches_ReadsBackExactlyAndCoversTheMonth()
    {
        var path = _folder.File("BTCUSDT-1m-2024-01.csv");
        var bars = SampleBars.BtcLike(Jan1, 44_640, seed: 3);
        File.WriteAllText(path, string.Join('\n', ArchiveRows(bars)));
        var month = new TimeRange(Jan1, UtcTime.ToEpochMs(new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero)));

        await using var store = await SqliteMarketStore.OpenAsync(_cli.DbPath);
        var report = await ImportAsync(store, path, maxBarsPerCommit: 10_000);

        Assert.Equal(5, report.Commits);
        Assert.Equal(44_640, report.BarsStored);
        BarAssert.Equal(bars, await store.ReadAsync(Series, month));
        Assert.Equal(RangeSet.Of(month), await store.GetCoverageAsync(Series));
    }

    private static async Task<ImportReport> ImportAsync(SqliteMarketStore store, string path, int maxBarsPerCommit = 50_000)
    {
        var files = await CsvImport.OpenAsync([path], Series);
        var importer = new BarImporter(store, TimeProvider.System, new ImportOptions { MaxBarsPerCommit = maxBarsPerCommit });
        return await importer.ImportAsync(Series, files.Select(f => f.Source).ToList());
    }
}
