using System.Text.Json;
using Gapless.FakeVendors.Binance;
using Gapless.Testing;

namespace Gapless.Cli.Tests;

/// <summary><c>gapless backtest</c> and <c>gapless runs</c>: the status, the data it fetched, the report, the record.</summary>
public sealed class BacktestCommandTests : IDisposable
{
    private static readonly string[] SimBacktest =
        ["backtest", "--provider", "sim", "--symbol", "SIM-BTC", "--timeframe", "1h", "--from", "2024-01-01", "--to", "2024-02-29", "--strategy", "sma-cross", "--param", "fast=5", "--param", "slow=20"];

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Backtest_Sim_FetchesFirstThenNothingTheSecondTime_AndIsRecorded()
    {
        var cli = new CliRunner(_folder.File("store.db"));
        var report = _folder.File("report.html");

        var first = await cli.RunAsync([.. SimBacktest, "--json", "--report", report]);
        var second = await cli.RunAsync([.. SimBacktest, "--json"]);
        var list = await cli.RunAsync("runs", "--json");

        CliAssert.Succeeded(first);
        CliAssert.Succeeded(second);
        using var a = JsonDocument.Parse(first.Stdout);
        using var b = JsonDocument.Parse(second.Stdout);
        Assert.Equal("completed", a.RootElement.GetProperty("status").GetString());
        Assert.True(a.RootElement.GetProperty("data").GetProperty("vendor_requests").GetInt64() > 0);
        Assert.Equal(0, b.RootElement.GetProperty("data").GetProperty("vendor_requests").GetInt64());
        var data = a.RootElement.GetProperty("data");
        var series = data.GetProperty("series").EnumerateArray().Single();
        Assert.Equal((60 * 24) + 20, series.GetProperty("bars_expected").GetInt64()); // 60 days of 1h and 20 warm-up bars
        Assert.Equal(series.GetProperty("bars_held").GetInt64(), data.GetProperty("bars_replayed").GetInt64()); // every bar held, the sim's holes aside
        Assert.Equal(series.GetProperty("vendor_hole_bars").GetInt64(), data.GetProperty("missing_bars").GetInt64());
        Assert.Equal(
            a.RootElement.GetProperty("summary").GetProperty("final_equity").GetDouble(),
            b.RootElement.GetProperty("summary").GetProperty("final_equity").GetDouble());
        Assert.Contains("status: fetching_data", first.Stderr, StringComparison.Ordinal);
        Assert.Contains("status: completed", first.Stderr, StringComparison.Ordinal);

        var html = await File.ReadAllTextAsync(report);
        Assert.Contains("equity-path", html, StringComparison.Ordinal);
        Assert.Contains(a.RootElement.GetProperty("backtest_id").GetString()!, html, StringComparison.Ordinal);

        CliAssert.Succeeded(list);
        using var runs = JsonDocument.Parse(list.Stdout);
        var ids = runs.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Equal([b.RootElement.GetProperty("backtest_id").GetString(), a.RootElement.GetProperty("backtest_id").GetString()], ids);

        var show = await cli.RunAsync("runs", "show", ids[1]!, "--json");
        CliAssert.Succeeded(show);
        using var one = JsonDocument.Parse(show.Stdout);
        Assert.Equal(
            ["pending", "fetching_data", "running", "completed"],
            one.RootElement.GetProperty("transitions").EnumerateArray().Select(t => t.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Array, one.RootElement.GetProperty("trades").ValueKind);
    }

    [Fact]
    public async Task Backtest_SymbolTheVendorRefuses_FailsWithTheMessageAndExitCode1()
    {
        await using var fake = await FakeBinance.StartAsync(FakeBinanceOptions.WithBtcUsdt());
        var cli = new CliRunner(_folder.File("store.db")).With("GAPLESS_BINANCE_URL", fake.BaseUrl.ToString());

        var result = await cli.RunAsync("backtest", "--provider", "binance", "--symbol", "NOPEUSDT", "--timeframe", "1h", "--from", "2024-01-01", "--to", "2024-01-31", "--strategy", "breakout", "--json");

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("failed", json.RootElement.GetProperty("status").GetString());
        Assert.StartsWith("Failed to fetch required historical data: ", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, json.RootElement.GetProperty("data").GetProperty("bars_replayed").GetInt64());
        Assert.Contains("gapless: Failed to fetch required historical data:", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("status: running", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backtest_UnknownStrategyOrBadParam_OneLineUsageError()
    {
        var cli = new CliRunner(_folder.File("store.db"));

        var unknown = await cli.RunAsync("backtest", "--provider", "sim", "--symbol", "SIM-BTC", "--timeframe", "1h", "--from", "2024-01-01", "--to", "2024-01-31", "--strategy", "moon-shot");
        var badParam = await cli.RunAsync("backtest", "--provider", "sim", "--symbol", "SIM-BTC", "--timeframe", "1h", "--from", "2024-01-01", "--to", "2024-01-31", "--strategy", "sma-cross", "--param", "fast");

        CliAssert.OneLineError(unknown, 2, "moon-shot");
        CliAssert.OneLineError(badParam, 2, "is not name=value");
    }
}
