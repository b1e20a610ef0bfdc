using System.Globalization;
using System.Text.Json;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Providers.Sim;
using Gapless.Testing;

namespace Gapless.Cli.Tests;

/// <summary>The CLI end to end on the offline sim provider: the README's main job.</summary>
public sealed class SimFetchTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly CliRunner _cli;

    public SimFetchTests() => _cli = new CliRunner(_folder.File("store.db"));

    public void Dispose() => _folder.Dispose();

    private static readonly string[] Range = ["--provider", "sim", "--symbol", "SIM-BTC", "--timeframe", "1m", "--from", "2024-01-01", "--to", "2024-01-03"];

    [Fact]
    public async Task Fetch_Json_FirstRunFetchesTheMinimumAndTheSecondNothing()
    {
        var first = await _cli.RunAsync(["fetch", .. Range, "--json"]);
        var second = await _cli.RunAsync(["fetch", .. Range, "--json"]);

        CliAssert.Succeeded(first);
        CliAssert.Succeeded(second);
        using var a = JsonDocument.Parse(first.Stdout);
        using var b = JsonDocument.Parse(second.Stdout);
        Assert.Equal(5, a.RootElement.GetProperty("requests").GetInt32()); // 3 days = 4320 bars = ceil(4320 / 1000)
        Assert.Equal(
            """[["2024-01-01T00:00:00Z","2024-01-04T00:00:00Z"]]""",
            a.RootElement.GetProperty("ranges_missing_before").GetRawText().Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal));
        var expected = await SimBarsAsync(Range);
        Assert.Equal(expected.Count, a.RootElement.GetProperty("bars_fetched").GetInt32());
        Assert.Equal(expected.Count, a.RootElement.GetProperty("bars_stored").GetInt32());
        Assert.Equal(0, b.RootElement.GetProperty("requests").GetInt32());
        Assert.Equal(0, b.RootElement.GetProperty("ranges_missing_before").GetArrayLength());
        Assert.True(a.RootElement.GetProperty("elapsed_ms").GetInt64() >= 0);
    }

    [Fact]
    public async Task Bars_Csv_AreExactlyTheProvidersBars()
    {
        var result = await _cli.RunAsync(["bars", .. Range]);

        CliAssert.Succeeded(result);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("open_time,open,high,low,close,volume,close_time,quote_volume,trades", lines[0]);
        var expected = (await SimBarsAsync(Range)).Select(b => string.Join(',',
            b.OpenTimeMs.ToString(CultureInfo.InvariantCulture), Text(b.Open), Text(b.High), Text(b.Low), Text(b.Close), Text(b.Volume),
            (b.OpenTimeMs + 59_999).ToString(CultureInfo.InvariantCulture), Text(b.QuoteVolume!.Value), b.Trades!.Value.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(expected, lines.Skip(1));
    }

    [Fact]
    public async Task Bars_Offline_PrintsOnlyWhatIsStoredAndWarnsAboutTheRest()
    {
        await _cli.RunAsync(["fetch", "--provider", "sim", "--symbol", "SIM-BTC", "--timeframe", "1h", "--from", "2024-01-02", "--to", "2024-01-02"]);

        var result = await _cli.RunAsync(["bars", "--provider", "sim", "--symbol", "SIM-BTC", "--timeframe", "1h", "--from", "2024-01-01", "--to", "2024-01-02", "--offline", "--format", "json"]);

        CliAssert.Succeeded(result);
        using var json = JsonDocument.Parse(result.Stdout);
        var times = json.RootElement.EnumerateArray().Select(e => e.GetProperty("open_time").GetInt64()).ToList();
        var day2 = UtcTime.ToEpochMs(new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(Enumerable.Range(0, 24).Select(h => day2 + (h * 3_600_000L)), times);
        Assert.Contains("warning: 24 bar slots in 1 range(s) are not covered", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_DateOnlyTo_IncludesThatWholeDay()
    {
        var result = await _cli.RunAsync("fetch", "--provider", "sim", "--symbol", "SIM-ETH", "--timeframe", "1h", "--from", "2024-03-10", "--to", "2024-03-10", "--json");

        CliAssert.Succeeded(result);
        using var json = JsonDocument.Parse(result.Stdout);
        var range = json.RootElement.GetProperty("ranges_missing_before")[0];
        Assert.Equal("2024-03-10T00:00:00Z", range[0].GetString());
        Assert.Equal("2024-03-11T00:00:00Z", range[1].GetString());
    }

    [Fact]
    public async Task Fetch_Plan_ShowsRequestsAndWeightAndFetchesNothing()
    {
        var plan = await _cli.RunAsync(["fetch", .. Range, "--plan", "--json"]);
        var coverage = await _cli.RunAsync("coverage", "--json");

        CliAssert.Succeeded(plan);
        using var json = JsonDocument.Parse(plan.Stdout);
        Assert.Equal(5, json.RootElement.GetProperty("requests").GetInt32());
        Assert.Equal(4320, json.RootElement.GetProperty("bars").GetInt64());
        Assert.Equal(5, json.RootElement.GetProperty("weight").GetInt64());
        using var held = JsonDocument.Parse(coverage.Stdout);
        Assert.Equal(0, held.RootElement.GetProperty("series").GetArrayLength());
    }

    [Fact]
    public async Task Coverage_Json_ShowsCoveredRangesBarsAndTheVendorsHoles()
    {
        // A month: the sim market has deterministic outage hours, which must show as holes inside coverage.
        string[] month = ["--provider", "sim", "--symbol", "SIM-BTC", "--timeframe", "1m", "--from", "2024-02-01", "--to", "2024-02-29"];
        CliAssert.Succeeded(await _cli.RunAsync(["fetch", .. month]));

        var result = await _cli.RunAsync("coverage", "--json");

        CliAssert.Succeeded(result);
        var bars = await SimBarsAsync(month);
        var from = UtcTime.ToEpochMs(new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero));
        var to = UtcTime.ToEpochMs(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var present = bars.Select(b => b.OpenTimeMs).ToHashSet();
        var expectedHoles = RangeSet.Of(Enumerable.Range(0, (int)((to - from) / 60_000))
            .Select(i => from + (i * 60_000L)).Where(t => !present.Contains(t)).Select(t => new TimeRange(t, t + 60_000)));
        Assert.NotEmpty(expectedHoles);

        using var json = JsonDocument.Parse(result.Stdout);
        var series = Assert.Single(json.RootElement.GetProperty("series").EnumerateArray());
        Assert.Equal("SIM-BTC", series.GetProperty("symbol").GetString());
        Assert.Equal(bars.Count, series.GetProperty("bars").GetInt64());
        Assert.Equal((to - from) / 60_000, series.GetProperty("expected_bars").GetInt64());
        Assert.Equal(
            expectedHoles.Select(h => (UtcTime.ToIso(h.FromMs), UtcTime.ToIso(h.ToMs))),
            series.GetProperty("holes").EnumerateArray().Select(h => (h[0].GetString()!, h[1].GetString()!)));
        Assert.Equal(expectedHoles.Sum(h => h.LengthMs / 60_000), series.GetProperty("missing_bars_in_coverage").GetInt64());
    }

    private static async Task<List<Bar>> SimBarsAsync(string[] args)
    {
        var tf = Timeframe.Parse(args[Array.IndexOf(args, "--timeframe") + 1]);
        var from = DateOnly.Parse(args[Array.IndexOf(args, "--from") + 1], CultureInfo.InvariantCulture);
        var to = DateOnly.Parse(args[Array.IndexOf(args, "--to") + 1], CultureInfo.InvariantCulture).AddDays(1);
        var range = new TimeRange(
            UtcTime.ToEpochMs(new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)),
            UtcTime.ToEpochMs(new DateTimeOffset(to.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)));
        var series = new Series("sim", args[Array.IndexOf(args, "--symbol") + 1], tf);
        return [.. await new SimProvider().FetchAsync(series, range, new VendorCallLog())];
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
