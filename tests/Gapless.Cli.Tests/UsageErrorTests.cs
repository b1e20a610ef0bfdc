using Gapless.Testing;

namespace Gapless.Cli.Tests;

/// <summary>Bad input gets one clear line, the right exit code, and leaves the store as it was.</summary>
public sealed class UsageErrorTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly CliRunner _cli;

    public UsageErrorTests() => _cli = new CliRunner(_folder.File("store.db"));

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("unknown provider 'nasdaq'; use one of: ", "--provider", "nasdaq")]
    [InlineData("unknown timeframe '2m'; use one of 1m 3m 5m", "--timeframe", "2m")]
    [InlineData("--from '2024-13-01' is not a date; use YYYY-MM-DD", "--from", "2024-13-01")]
    [InlineData("--to 'yesterday' is not a date", "--to", "yesterday")]
    [InlineData("--from (2024-02-01T00:00:00Z) must be before --to (2024-01-02T00:00:00Z)", "--from", "2024-02-01")]
    public async Task Fetch_BadInput_ExitsTwoWithOneLine(string message, string option, string value)
    {
        var args = new Dictionary<string, string>
        {
            ["--provider"] = "sim", ["--symbol"] = "SIM-BTC", ["--timeframe"] = "1m", ["--from"] = "2024-01-01", ["--to"] = "2024-01-01",
        };
        args[option] = value;

        var result = await _cli.RunAsync(["fetch", .. args.SelectMany(kv => new[] { kv.Key, kv.Value })]);

        CliAssert.OneLineError(result, 2, message);
    }

    [Fact]
    public async Task Fetch_MissingSymbol_ExitsTwo()
    {
        var result = await _cli.RunAsync("fetch", "--provider", "sim", "--timeframe", "1m", "--from", "2024-01-01", "--to", "2024-01-02");

        CliAssert.OneLineError(result, 2, "--symbol is required");
    }

    [Fact]
    public async Task UnknownOption_ExitsTwoAndPointsAtHelp()
    {
        var result = await _cli.RunAsync("fetch", "--symbl", "X");

        CliAssert.OneLineError(result, 2, "(see: gapless fetch --help)");
    }

    [Fact]
    public async Task ValueNotAmongTheAllowed_ExitsTwoWithOneLineListingThem()
    {
        var result = await _cli.RunAsync("quality", "--format", "xml");

        CliAssert.OneLineError(result, 2, "'xml' not recognized. Must be one of: 'table' 'md' 'json'");
    }

    [Fact]
    public async Task Fetch_SymbolTheVendorRefuses_ExitsOneAndStoresNothing()
    {
        var result = await _cli.RunAsync("fetch", "--provider", "sim", "--symbol", "btc usd", "--timeframe", "1h", "--from", "2024-01-01", "--to", "2024-01-02");
        var coverage = await _cli.RunAsync("coverage", "--json");

        CliAssert.OneLineError(result, 1, "sim refused symbol 'btc usd'");
        Assert.Contains("\"series\": []", coverage.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_UnwritableDb_ExitsOneWithOneLine()
    {
        var blocker = _folder.File("a-file");
        await File.WriteAllTextAsync(blocker, "not a folder");
        var cli = new CliRunner(Path.Combine(blocker, "store.db"));

        var result = await cli.RunAsync("fetch", "--provider", "sim", "--symbol", "SIM-BTC", "--timeframe", "1h", "--from", "2024-01-01", "--to", "2024-01-02");

        CliAssert.OneLineError(result, 1, blocker);
    }

    [Fact]
    public async Task BadInput_LeavesTheStoreAsItWas()
    {
        string[] ok = ["fetch", "--provider", "sim", "--symbol", "SIM-BTC", "--timeframe", "1h", "--from", "2024-01-01", "--to", "2024-01-02"];
        CliAssert.Succeeded(await _cli.RunAsync(ok));
        var before = (await _cli.RunAsync("coverage", "--json")).Stdout;

        await _cli.RunAsync("fetch", "--provider", "sim", "--symbol", "SIM-BTC", "--timeframe", "1h", "--from", "2024-01-05", "--to", "2024-01-03");
        await _cli.RunAsync("fetch", "--provider", "sim", "--symbol", "bad symbol", "--timeframe", "1h", "--from", "2024-01-01", "--to", "2024-01-03");

        Assert.Equal(before, (await _cli.RunAsync("coverage", "--json")).Stdout);
    }
}
