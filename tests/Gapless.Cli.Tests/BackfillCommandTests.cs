using System.Globalization;
using System.Text.Json;
using Gapless.Core.Model;
using Gapless.FakeVendors.Binance;
using Gapless.Testing;

namespace Gapless.Cli.Tests;

/// <summary><c>gapless backfill</c> and <c>gapless quality</c> against the fake Binance: many symbols, only what is missing.</summary>
public sealed class BackfillCommandTests : IDisposable
{
    private const string From = "2024-03-01";
    private const string To = "2024-03-02"; // 48 hours of 30m bars: 96 per symbol, one request each
    private static readonly long Listed = UtcTime.ToEpochMs(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string Symbol(int i) => string.Create(CultureInfo.InvariantCulture, $"S{i:00}USDT");

    [Fact]
    public async Task Backfill_FiftySymbolsSomeCompleteOneRefused_MinimumRequestsFinishesTheOthersReportsTheRefusedOne()
    {
        var options = new FakeBinanceOptions();
        for (var i = 0; i < 50; i++)
        {
            options.Symbols.Add(new FakeSymbol(Symbol(i), Listed, 100m + i));
        }

        await using var fake = await FakeBinance.StartAsync(options);
        var cli = new CliRunner(_folder.File("store.db")).With("GAPLESS_BINANCE_URL", fake.BaseUrl.ToString());

        // Five symbols already complete, three holding only the first day.
        for (var i = 0; i < 5; i++)
        {
            CliAssert.Succeeded(await cli.RunAsync("fetch", "--provider", "binance", "--symbol", Symbol(i), "--timeframe", "30m", "--from", From, "--to", To));
        }

        for (var i = 5; i < 8; i++)
        {
            CliAssert.Succeeded(await cli.RunAsync("fetch", "--provider", "binance", "--symbol", Symbol(i), "--timeframe", "30m", "--from", From, "--to", From));
        }

        var symbols = Enumerable.Range(0, 50).Select(Symbol).Append("NOPEUSDT").ToList();
        var symbolsFile = _folder.File("symbols.txt");
        await File.WriteAllLinesAsync(symbolsFile, ["# the watch list", .. symbols]);
        var selection = new[] { "--provider", "binance", "--symbols-file", symbolsFile, "--timeframe", "30m", "--from", From, "--to", To };

        var plan = await cli.RunAsync(["backfill", .. selection, "--batch-size", "20", "--plan", "--json"]);
        fake.ClearRequests();
        var run = await cli.RunAsync(["backfill", .. selection, "--batch-size", "20", "--json"]);
        var klines = fake.KlinesRequests;
        var quality = await cli.RunAsync(["quality", .. selection, "--format", "json"]);

        // The plan: 42 empty symbols, 3 half-filled and the unknown one, one request each; nothing fetched by it.
        CliAssert.Succeeded(plan);
        using (var planned = JsonDocument.Parse(plan.Stdout))
        {
            Assert.Equal(46, planned.RootElement.GetProperty("requests").GetInt64());
            Assert.Equal(5, planned.RootElement.GetProperty("series_complete").GetInt32());
            Assert.Equal(3, planned.RootElement.GetProperty("batches").GetInt32());
        }

        // The run: exactly one klines request per incomplete symbol, none for the complete ones.
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(46, klines.Count);
        var asked = klines.Select(r => Query(r.PathAndQuery, "symbol")).ToList();
        Assert.Equal(asked.Count, asked.Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain(asked, s => Enumerable.Range(0, 5).Select(Symbol).Contains(s));
        foreach (var i in Enumerable.Range(5, 3))
        {
            var request = klines.Single(r => Query(r.PathAndQuery, "symbol") == Symbol(i));
            Assert.Equal(UtcTime.ToEpochMs(new DateTimeOffset(2024, 3, 2, 0, 0, 0, TimeSpan.Zero)).ToString(CultureInfo.InvariantCulture), Query(request.PathAndQuery, "startTime"));
        }

        using var report = JsonDocument.Parse(run.Stdout);
        var root = report.RootElement;
        Assert.Equal(51, root.GetProperty("series_processed").GetInt32());
        Assert.Equal(50, root.GetProperty("series_succeeded").GetInt32());
        Assert.Equal(1, root.GetProperty("series_failed").GetInt32());
        Assert.Equal((42 * 96) + (3 * 48), root.GetProperty("bars_stored").GetInt64());
        Assert.Equal((42 * 96) + (3 * 48) + 96, root.GetProperty("missing_before").GetInt64());
        Assert.Equal(96, root.GetProperty("missing_after").GetInt64());
        var refused = root.GetProperty("series").EnumerateArray().Single(s => s.GetProperty("status").GetString() == "failed");
        Assert.Equal("NOPEUSDT", refused.GetProperty("symbol").GetString());
        Assert.Contains("NOPEUSDT", refused.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("✗ binance:NOPEUSDT:30m", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("✓ binance:S10USDT:30m", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("○ binance:S00USDT:30m: nothing missing", run.Stderr, StringComparison.Ordinal);

        // Afterwards nothing is missing but the refused symbol.
        CliAssert.Succeeded(quality);
        using var after = JsonDocument.Parse(quality.Stdout);
        foreach (var series in after.RootElement.GetProperty("series").EnumerateArray())
        {
            var expectedMissing = series.GetProperty("symbol").GetString() == "NOPEUSDT" ? 96 : 0;
            Assert.Equal(expectedMissing, series.GetProperty("estimated_missing_bars").GetInt64());
            Assert.Equal(96, series.GetProperty("bars_expected").GetInt64());
        }

        Assert.Equal(51, after.RootElement.GetProperty("totals").GetProperty("series").GetInt32());

        // The stored bars are the vendor's, exactly.
        var bars = await cli.RunAsync("bars", "--provider", "binance", "--symbol", Symbol(30), "--timeframe", "30m", "--from", From, "--to", To, "--offline", "--format", "json");
        CliAssert.Succeeded(bars);
        var range = new TimeRange(UtcTime.ToEpochMs(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero)), UtcTime.ToEpochMs(new DateTimeOffset(2024, 3, 3, 0, 0, 0, TimeSpan.Zero)));
        using var json = JsonDocument.Parse(bars.Stdout);
        var expected = fake.ExpectedBars(Symbol(30), Timeframe.M30, range);
        Assert.Equal(expected.Select(b => b.Close.ToString(CultureInfo.InvariantCulture)), json.RootElement.EnumerateArray().Select(b => b.GetProperty("close").GetString()));
    }

    [Fact]
    public async Task Quality_Compare_ShowsTheReductionPerSeriesAndInTotal()
    {
        var before = _folder.File("before.json");
        var after = _folder.File("after.json");
        await File.WriteAllTextAsync(before, """{"series":[{"provider":"binance","symbol":"A","timeframe":"30m","estimated_missing_bars":96},{"provider":"binance","symbol":"B","timeframe":"30m","estimated_missing_bars":10}],"totals":{}}""");
        await File.WriteAllTextAsync(after, """{"series":[{"provider":"binance","symbol":"A","timeframe":"30m","estimated_missing_bars":0},{"provider":"binance","symbol":"B","timeframe":"30m","estimated_missing_bars":4}],"totals":{}}""");
        var cli = new CliRunner(_folder.File("store.db"));

        var result = await cli.RunAsync("quality", "--compare", before, after, "--format", "json");

        CliAssert.Succeeded(result);
        using var json = JsonDocument.Parse(result.Stdout);
        var totals = json.RootElement.GetProperty("totals");
        Assert.Equal(106, totals.GetProperty("missing_before").GetInt64());
        Assert.Equal(4, totals.GetProperty("missing_after").GetInt64());
        Assert.Equal(102, totals.GetProperty("reduction").GetInt64());
        var b = json.RootElement.GetProperty("series").EnumerateArray().Single(s => s.GetProperty("series").GetString() == "binance:B:30m");
        Assert.Equal(6, b.GetProperty("reduction").GetInt64());
    }

    [Fact]
    public async Task Quality_CompareWithAFileThatIsNotAReport_OneLineUsageError()
    {
        var bogus = _folder.File("bogus.json");
        await File.WriteAllTextAsync(bogus, "[1,2,3]");

        var result = await new CliRunner(_folder.File("store.db")).RunAsync("quality", "--compare", bogus, bogus);

        CliAssert.OneLineError(result, 2, "is not a report of 'gapless quality --format json'");
    }

    [Fact]
    public async Task Backfill_WithoutSeries_OneLineUsageError()
    {
        var result = await new CliRunner(_folder.File("store.db")).RunAsync("backfill", "--provider", "sim", "--timeframe", "1h", "--since", "48h");

        CliAssert.OneLineError(result, 2, "name the series");
    }

    private static string Query(string pathAndQuery, string name)
        => pathAndQuery.Split('?')[1].Split('&').Select(p => p.Split('=')).Single(p => p[0] == name)[1];
}
