using Gapless.Core.Model;
using Gapless.FakeVendors.Binance;
using Gapless.Storage.Sqlite;
using Gapless.Testing;

namespace Gapless.Cli.Tests;

/// <summary>A fetch killed with SIGKILL mid-run leaves a consistent store, and the next run completes the range.</summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private static readonly Series Series = new("binance", "BTCUSDT", Timeframe.M1);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Fetch_KilledMidRun_LeavesWholeChunksOnlyAndTheRerunFetchesJustTheRest()
    {
        var options = FakeBinanceOptions.WithBtcUsdt();
        options.SlowAnswerRate = 1.0; // every answer takes a while, so the kill lands mid-run
        options.SlowDelay = TimeSpan.FromMilliseconds(150);
        await using var fake = await FakeBinance.StartAsync(options);
        var db = _folder.File("store.db");
        var cli = new CliRunner(db).With("GAPLESS_BINANCE_URL", fake.BaseUrl.ToString());
        string[] fetch = ["fetch", "--provider", "binance", "--symbol", "BTCUSDT", "--timeframe", "1m", "--from", "2024-01-01", "--to", "2024-02-29", "--json"];
        var range = new TimeRange(
            UtcTime.ToEpochMs(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            UtcTime.ToEpochMs(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero)));
        var minimum = (int)((Timeframe.M1.CountBars(range) + 999) / 1000);

        using (var process = cli.Start(fetch))
        {
            for (var i = 0; i < 600 && fake.KlinesRequests.Count(r => r.Status == 200) < 20; i++)
            {
                await Task.Delay(25);
            }

            process.Kill(); // SIGKILL: no chance to clean up
            await process.WaitForExitAsync();
        }

        var sentBeforeKill = fake.KlinesRequests.Count;
        var truth = fake.ExpectedBars("BTCUSDT", Timeframe.M1, range);
        RangeSet covered;
        await using (var store = await SqliteMarketStore.OpenAsync(db))
        {
            covered = await store.GetCoverageAsync(Series);
            var held = await store.ReadAsync(Series, range);
            Assert.False(covered.IsEmpty);
            Assert.NotEqual(RangeSet.Of(range), covered);
            Assert.Equal(truth.Where(b => covered.Contains(b.OpenTimeMs)), held);
        }

        fake.ClearRequests();
        var rerun = await cli.RunAsync(fetch);

        CliAssert.Succeeded(rerun);
        var missing = RangeSet.Of(range).Subtract(covered);
        var expectedRerun = missing.Sum(r => (int)((Timeframe.M1.CountBars(r) + 999) / 1000));
        Assert.Equal(expectedRerun, fake.KlinesRequests.Count);
        Assert.InRange(sentBeforeKill + fake.KlinesRequests.Count, minimum, minimum + 4); // at most the chunks in flight at the kill
        await using (var store = await SqliteMarketStore.OpenAsync(db))
        {
            Assert.Equal(RangeSet.Of(range), await store.GetCoverageAsync(Series));
            Assert.Equal(truth, await store.ReadAsync(Series, range));
        }
    }
}
