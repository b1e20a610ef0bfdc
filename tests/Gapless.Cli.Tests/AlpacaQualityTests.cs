using System.Text.Json;
using Gapless.Core.Model;
using Gapless.FakeVendors.Alpaca;
using Gapless.Testing;

namespace Gapless.Cli.Tests;

/// <summary>
/// US equities end to end: bars from the fake Alpaca, then a quality report under the NYSE calendars, across the
/// March 2024 daylight-saving change, with a weekend, a vendor hole and days never fetched.
/// </summary>
public sealed class AlpacaQualityTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Quality_AfterFetchingPartOfTwoWeeks_CountsExactlyTheUnfetchedDaysAndTheVendorHole()
    {
        var options = new FakeAlpacaOptions { QuietBarRate = 0 };
        var hole = new TimeRange(Ms(3, 5, 15, 0), Ms(3, 5, 16, 0)); // two 30m bars inside the regular session (EST)
        options.Holes["AAPL"] = [hole];
        await using var fake = await FakeAlpaca.StartAsync(options);
        var cli = new CliRunner(_folder.File("store.db"))
            .With("GAPLESS_ALPACA_URL", fake.BaseUrl.ToString())
            .With("APCA_API_KEY_ID", options.KeyId)
            .With("APCA_API_SECRET_KEY", options.SecretKey);

        var fetch = await cli.RunAsync("fetch", "--provider", "alpaca", "--symbol", "AAPL", "--timeframe", "30m", "--from", "2024-03-04", "--to", "2024-03-12");
        var requests = fake.BarsRequests.Count;
        string[] quality = ["quality", "--provider", "alpaca", "--symbols", "AAPL", "--timeframe", "30m", "--from", "2024-03-04", "--to", "2024-03-15", "--format", "json"];
        var extended = await cli.RunAsync(quality);
        var regular = await cli.RunAsync([.. quality, "--calendar", "XNYS"]);

        CliAssert.Succeeded(fetch);
        Assert.Equal(1, requests); // 7 trading days × 32 extended-hours bars: one page
        CliAssert.Succeeded(extended);
        CliAssert.Succeeded(regular);

        // Extended hours (04:00–20:00 New York): 32 bars a day over 10 trading days; March 13–15 never fetched.
        var x = Single(extended);
        Assert.Equal("XNYS-extended", x.GetProperty("calendar").GetString());
        Assert.Equal(320, x.GetProperty("bars_expected").GetInt64());
        Assert.Equal(222, x.GetProperty("bars_held").GetInt64());
        Assert.Equal(96, x.GetProperty("not_fetched_bars").GetInt64());
        Assert.Equal(2, x.GetProperty("vendor_hole_bars").GetInt64());
        Assert.Equal(98, x.GetProperty("estimated_missing_bars").GetInt64());
        Assert.Equal(0, x.GetProperty("bars_outside_calendar").GetInt64());

        // The regular session (09:30–16:00): 13 bars a day; the extended-hours bars are held but not expected.
        var r = Single(regular);
        Assert.Equal("XNYS", r.GetProperty("calendar").GetString());
        Assert.Equal(130, r.GetProperty("bars_expected").GetInt64());
        Assert.Equal(39, r.GetProperty("not_fetched_bars").GetInt64());
        Assert.Equal(2, r.GetProperty("vendor_hole_bars").GetInt64());
        Assert.Equal(222 - ((7 * 13) - 2), r.GetProperty("bars_outside_calendar").GetInt64());
        var gaps = r.GetProperty("largest_gaps").EnumerateArray().ToList();
        Assert.Equal("not_fetched", gaps[0].GetProperty("kind").GetString());
        Assert.Equal("2024-03-13T13:30:00Z", gaps[0].GetProperty("from").GetString()); // after the switch to EDT
        Assert.Equal("vendor_hole", gaps[1].GetProperty("kind").GetString());
        Assert.Equal(UtcTime.ToIso(hole.FromMs), gaps[1].GetProperty("from").GetString());
    }

    private static JsonElement Single(CliResult result)
    {
        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.GetProperty("series").EnumerateArray().Single().Clone();
    }

    private static long Ms(int month, int day, int hour, int minute)
        => UtcTime.ToEpochMs(new DateTimeOffset(2024, month, day, hour, minute, 0, TimeSpan.Zero));

    [Fact]
    public async Task Backfill_FiftySymbolsOnAlpaca_SharesMultiSymbolRequestsAndLeavesNothingUnfetched()
    {
        var options = new FakeAlpacaOptions { QuietBarRate = 0 };
        await using var fake = await FakeAlpaca.StartAsync(options);
        var cli = new CliRunner(_folder.File("store.db"))
            .With("GAPLESS_ALPACA_URL", fake.BaseUrl.ToString())
            .With("APCA_API_KEY_ID", options.KeyId)
            .With("APCA_API_SECRET_KEY", options.SecretKey);
        var symbols = Enumerable.Range(0, 50).Select(i => "S" + ((char)('A' + (i / 26))).ToString() + ((char)('A' + (i % 26))).ToString()).ToList();
        foreach (var symbol in symbols.Take(5))
        {
            CliAssert.Succeeded(await cli.RunAsync("fetch", "--provider", "alpaca", "--symbol", symbol, "--timeframe", "30m", "--from", "2024-03-04", "--to", "2024-03-05"));
        }

        foreach (var symbol in symbols.Skip(5).Take(3))
        {
            CliAssert.Succeeded(await cli.RunAsync("fetch", "--provider", "alpaca", "--symbol", symbol, "--timeframe", "30m", "--from", "2024-03-04", "--to", "2024-03-04"));
        }

        fake.ClearRequests();
        string[] selection = ["--provider", "alpaca", "--symbols", string.Join(',', symbols), "--timeframe", "30m", "--from", "2024-03-04", "--to", "2024-03-05"];
        var run = await cli.RunAsync(["backfill", .. selection, "--json"]);
        var requests = fake.BarsRequests;
        var quality = await cli.RunAsync(["quality", .. selection, "--format", "json"]);

        CliAssert.Succeeded(run);
        // 42 empty symbols share one request (42 × 62 bars fit a 10,000-bar page); the 3 missing only Tuesday share another.
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal("/v2/stocks/bars", r.Path));
        CliAssert.Succeeded(quality);
        using var json = JsonDocument.Parse(quality.Stdout);
        var range = new TimeRange(Ms(3, 4, 0, 0), Ms(3, 6, 0, 0));
        foreach (var series in json.RootElement.GetProperty("series").EnumerateArray())
        {
            Assert.Equal(0, series.GetProperty("estimated_missing_bars").GetInt64());
            Assert.Equal(fake.ExpectedBars(series.GetProperty("symbol").GetString()!, Timeframe.M30, range).Count, series.GetProperty("bars_held").GetInt64());
        }

        var bars = await cli.RunAsync("bars", "--provider", "alpaca", "--symbol", symbols[20], "--timeframe", "30m", "--from", "2024-03-04", "--to", "2024-03-05", "--offline", "--format", "json");
        using var held = JsonDocument.Parse(bars.Stdout);
        Assert.Equal( // equal values (a column keeps one scale, so 271.88 may read back as 271.8800)
            fake.ExpectedBars(symbols[20], Timeframe.M30, range).Select(b => b.Close),
            held.RootElement.EnumerateArray().Select(b => decimal.Parse(b.GetProperty("close").GetString()!, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
