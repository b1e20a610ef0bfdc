using System.Text.Json;
using Gapless.Testing;

namespace Gapless.Cli.Tests;

public sealed class DbCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task DbInfo_Json_ShowsKindSchemaAndWhatIsHeld()
    {
        var cli = new CliRunner(_folder.File("store.db"));
        CliAssert.Succeeded(await cli.RunAsync("db", "migrate"));
        CliAssert.Succeeded(await cli.RunAsync("fetch", "--provider", "sim", "--symbol", "SIM-BTC", "--timeframe", "1h", "--from", "2024-01-01", "--to", "2024-01-01"));
        CliAssert.Succeeded(await cli.RunAsync("fetch", "--provider", "sim", "--symbol", "SIM-ETH", "--timeframe", "1d", "--from", "2024-01-01", "--to", "2024-01-10"));

        var result = await cli.RunAsync("db", "info", "--json");

        CliAssert.Succeeded(result);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("sqlite", json.RootElement.GetProperty("kind").GetString());
        Assert.Equal(cli.DbPath, json.RootElement.GetProperty("location").GetString());
        Assert.True(json.RootElement.GetProperty("schema_version").GetInt32() >= 1);
        Assert.Equal(2, json.RootElement.GetProperty("series").GetInt64());
        Assert.Equal(24 + 10, json.RootElement.GetProperty("bars").GetInt64());
        Assert.Equal(new FileInfo(cli.DbPath).Length + WalLength(cli.DbPath), json.RootElement.GetProperty("size_bytes").GetInt64());
    }

    private static long WalLength(string db) => File.Exists(db + "-wal") ? new FileInfo(db + "-wal").Length : 0;
}
