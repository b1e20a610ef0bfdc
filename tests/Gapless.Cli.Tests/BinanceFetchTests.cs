using System.Globalization;
using System.Text.Json;
using Gapless.Core.Model;
using Gapless.FakeVendors.Binance;
using Gapless.Testing;

namespace Gapless.Cli.Tests;

/// <summary>The CLI against a protocol-faithful Binance on 127.0.0.1: request counts, exact data, faults.</summary>
public sealed class BinanceFetchTests : IDisposable
{
    private static readonly DateTimeOffset Jan1 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private CliRunner Cli(FakeBinance fake) => new CliRunner(_folder.File("store.db")).With("GAPLESS_BINANCE_URL", fake.BaseUrl.ToString());

    private static string[] Fetch(string from, string to, string timeframe = "1m", string symbol = "BTCUSDT")
        => ["fetch", "--provider", "binance", "--symbol", symbol, "--timeframe", timeframe, "--from", from, "--to", to, "--json"];

    private static TimeRange Days(DateTimeOffset from, int days) => new(UtcTime.ToEpochMs(from), UtcTime.ToEpochMs(from.AddDays(days)));

    [Fact]
    public async Task Fetch_ThirtyDays_MinimumRequestsThenNoneThenOnlyTheNewEdges()
    {
        await using var fake = await FakeBinance.StartAsync(FakeBinanceOptions.WithBtcUsdt());
        var cli = Cli(fake);

        CliAssert.Succeeded(await cli.RunAsync(Fetch("2024-01-01", "2024-01-30")));
        var first = fake.KlinesRequests.Count;
        fake.ClearRequests();
        CliAssert.Succeeded(await cli.RunAsync(Fetch("2024-01-03", "2024-01-29")));
        var rerun = fake.KlinesRequests.Count;
        fake.ClearRequests();
        CliAssert.Succeeded(await cli.RunAsync(Fetch("2023-12-31", "2024-01-31")));
        var widened = fake.KlinesRequests;

        Assert.Equal(44, first); // 30 × 1440 = 43,200 bars: ceil(43,200 / 1000)
        Assert.Equal(0, rerun);
        Assert.Equal(4, widened.Count); // one day on each side: ceil(1440 / 1000) each
        var starts = widened.Select(r => StartTime(r.PathAndQuery)).Order().ToList();
        Assert.Equal(
            [Ms(Jan1.AddDays(-1)), Ms(Jan1.AddDays(-1)) + 60_000_000, Ms(Jan1.AddDays(30)), Ms(Jan1.AddDays(30)) + 60_000_000],
            starts);
    }

    [Fact]
    public async Task Bars_Csv_EqualsTheVendorsDataToTheLastDigit()
    {
        var options = FakeBinanceOptions.WithBtcUsdt();
        await using var fake = await FakeBinance.StartAsync(options);
        var cli = Cli(fake);

        var result = await cli.RunAsync("bars", "--provider", "binance", "--symbol", "BTCUSDT", "--timeframe", "5m", "--from", "2024-01-01", "--to", "2024-01-04");

        CliAssert.Succeeded(result);
        var expected = fake.ExpectedBars("BTCUSDT", Timeframe.M5, Days(Jan1, 4));
        Assert.Equal(4 * 288, expected.Count);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected.Select(b => CsvLine(b, Timeframe.M5)), lines.Skip(1));
        Assert.Contains(".", lines[1].Split(',')[1], StringComparison.Ordinal);
        Assert.Equal(8, lines[1].Split(',')[1].Split('.')[1].Length); // "42000.01000000": the vendor's 8 decimals survive
    }

    [Fact]
    public async Task Fetch_WithServerErrorsRateLimitsAndTruncatedBodies_EndsWithTheCleanData()
    {
        var options = FakeBinanceOptions.WithBtcUsdt();
        options.ServerErrorRate = 0.10;
        options.TooManyRequestsRate = 0.05;
        options.TruncatedBodyRate = 0.02;
        options.Seed = 7;
        await using var fake = await FakeBinance.StartAsync(options);
        var cli = Cli(fake);

        var fetch = await cli.RunAsync(Fetch("2024-02-01", "2024-03-01"));
        var bars = await cli.RunAsync("bars", "--provider", "binance", "--symbol", "BTCUSDT", "--timeframe", "1m", "--from", "2024-02-01", "--to", "2024-03-01", "--offline");

        CliAssert.Succeeded(fetch);
        var faults = fake.Requests.Where(r => r.Fault is not null).Select(r => r.Fault).ToList();
        Assert.Contains("5xx", faults);
        Assert.Contains("429", faults);
        var expected = fake.ExpectedBars("BTCUSDT", Timeframe.M1, new TimeRange(Ms(new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero)), Ms(new DateTimeOffset(2024, 3, 2, 0, 0, 0, TimeSpan.Zero))));
        Assert.Equal(expected.Select(b => CsvLine(b, Timeframe.M1)), bars.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1));
        Assert.DoesNotContain(fake.Requests, r => r.Status == 418);
        Assert.DoesNotContain(fake.Requests, r => r.InsideRetryAfter);
    }

    [Fact]
    public async Task Fetch_SymbolBinanceRefuses_ExitsOneWithTheVendorsMessage()
    {
        await using var fake = await FakeBinance.StartAsync(FakeBinanceOptions.WithBtcUsdt());

        var result = await Cli(fake).RunAsync(Fetch("2024-01-01", "2024-01-02", timeframe: "1h", symbol: "BTCXXX"));

        CliAssert.OneLineError(result, 1, "Invalid symbol.");
        Assert.Contains("BTCXXX", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(fake.KlinesRequests);
    }

    [Fact]
    public async Task Fetch_RestrictedLocation_NamesTheMarketDataHost()
    {
        var options = FakeBinanceOptions.WithBtcUsdt();
        options.Restricted = true;
        await using var fake = await FakeBinance.StartAsync(options);

        var result = await Cli(fake).RunAsync(Fetch("2024-01-01", "2024-01-02", timeframe: "1h"));

        CliAssert.OneLineError(result, 1, "https://data-api.binance.vision");
    }

    [Fact]
    public async Task Fetch_UnreachableVendor_ExitsOneNamingTheUrlAndCoversNothing()
    {
        var cli = new CliRunner(_folder.File("store.db")).With("GAPLESS_BINANCE_URL", "http://127.0.0.1:1");

        var result = await cli.RunAsync(Fetch("2024-01-01", "2024-01-01", timeframe: "1h"));
        var coverage = await cli.RunAsync("coverage", "--json");

        CliAssert.OneLineError(result, 1, "cannot reach binance at http://127.0.0.1:1");
        Assert.Contains("\"series\": []", coverage.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_BeforeTheListing_IsEmptyAndCoveredNotAnError()
    {
        await using var fake = await FakeBinance.StartAsync(FakeBinanceOptions.WithBtcUsdt());
        var cli = Cli(fake);

        var result = await cli.RunAsync(Fetch("2017-08-10", "2017-08-18", timeframe: "1h"));
        fake.ClearRequests();
        var again = await cli.RunAsync(Fetch("2017-08-10", "2017-08-18", timeframe: "1h"));

        CliAssert.Succeeded(result);
        using var json = JsonDocument.Parse(result.Stdout);
        var listed = UtcTime.ToEpochMs(new DateTimeOffset(2017, 8, 17, 4, 0, 0, TimeSpan.Zero));
        var expected = (UtcTime.ToEpochMs(new DateTimeOffset(2017, 8, 19, 0, 0, 0, TimeSpan.Zero)) - listed) / 3_600_000;
        Assert.Equal(expected, json.RootElement.GetProperty("bars_stored").GetInt64());
        Assert.True(json.RootElement.GetProperty("complete").GetBoolean());
        Assert.Empty(fake.KlinesRequests);
        CliAssert.Succeeded(again);
    }

    private static long StartTime(string pathAndQuery)
    {
        var query = pathAndQuery.Split('?')[1].Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        return long.Parse(query["startTime"], CultureInfo.InvariantCulture);
    }

    private static long Ms(DateTimeOffset t) => UtcTime.ToEpochMs(t);

    internal static string CsvLine(Bar b, Timeframe tf) => string.Join(',',
        b.OpenTimeMs.ToString(CultureInfo.InvariantCulture), T(b.Open), T(b.High), T(b.Low), T(b.Close), T(b.Volume),
        (b.CutShortAtMs ?? (tf.CloseOf(b.OpenTimeMs) - 1)).ToString(CultureInfo.InvariantCulture),
        b.QuoteVolume is { } q ? T(q) : string.Empty,
        b.Trades?.ToString(CultureInfo.InvariantCulture) ?? string.Empty);

    private static string T(decimal d) => d.ToString(CultureInfo.InvariantCulture);
}
