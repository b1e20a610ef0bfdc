using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Providers.Sim;
using Gapless.Storage.Sqlite;
using Gapless.Testing;

namespace Gapless.Cli.Tests;

/// <summary>Two gapless processes on one store file: both finish, nothing is lost or corrupted.</summary>
public sealed class SharedStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task TwoProcesses_OverlappingFetchesOnOneFile_BothSucceedWithExactData()
    {
        var db = _folder.File("shared.db");
        var cli = new CliRunner(db);
        var series = new Series("sim", "SIM-ETH", Timeframe.M1);

        var runs = await Task.WhenAll(
            cli.RunAsync("fetch", "--provider", "sim", "--symbol", "SIM-ETH", "--timeframe", "1m", "--from", "2024-03-01", "--to", "2024-03-20"),
            cli.RunAsync("fetch", "--provider", "sim", "--symbol", "SIM-ETH", "--timeframe", "1m", "--from", "2024-03-10", "--to", "2024-03-31"));

        Assert.All(runs, CliAssert.Succeeded);
        var month = new TimeRange(
            UtcTime.ToEpochMs(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero)),
            UtcTime.ToEpochMs(new DateTimeOffset(2024, 4, 1, 0, 0, 0, TimeSpan.Zero)));
        var truth = await new SimProvider().FetchAsync(series, month, new VendorCallLog());
        await using var store = await SqliteMarketStore.OpenAsync(db);
        Assert.Equal(RangeSet.Of(month), await store.GetCoverageAsync(series));
        Assert.Equal(truth, await store.ReadAsync(series, month));
    }
}
