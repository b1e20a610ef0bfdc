using System.Globalization;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Xunit;

namespace Gapless.Testing.Storage;

/// <summary>
/// The behaviour every <see cref="IMarketStore"/> must show, run against a real database. A store's test project
/// derives from this class and says how to create a fresh, empty store; xunit runs these facts for it.
/// Start times in the fetch log are compared to the millisecond (what every store keeps).
/// </summary>
public abstract partial class MarketStoreContract : IAsyncLifetime
{
    protected const long Minute = 60_000;
    protected const long Day = 86_400_000;

    /// <summary>2024-01-01T00:00:00Z.</summary>
    protected const long T0 = 1_704_067_200_000;

    protected static readonly Series BtcM1 = new("binance", "BTCUSDT", Timeframe.M1);
    protected static readonly Series EthM1 = new("binance", "ETHUSDT", Timeframe.M1);
    protected static readonly Series BtcH1 = new("binance", "BTCUSDT", Timeframe.H1);

    private readonly List<IMarketStore> _opened = [];

    /// <summary>A new, empty store on its own database.</summary>
    protected abstract Task<IMarketStore> CreateStoreCoreAsync();

    /// <summary>A second, independent instance on the same database as the last store created.</summary>
    protected abstract Task<IMarketStore> OpenSameStoreCoreAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task Commit_ThenRead_ReturnsTheSameBarsExactly()
    {
        var store = await CreateStoreAsync();
        var bars = SampleBars.BtcLike(T0, 3 * 1440 + 17, seed: 7);
        var result = await store.CommitAsync(Chunk(BtcM1, bars));
        var read = await store.ReadAsync(BtcM1, new TimeRange(T0, T0 + (4 * Day)));

        Assert.Equal(bars.Length, result.BarsStored);
        AssertSameBars(bars, read);
        Assert.Equal("42000.01000000", read[0].Open.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Commit_OptionalColumnsNegativesAndCutShort_RoundTripExactly()
    {
        var store = await CreateStoreAsync();
        Bar[] bars =
        [
            new(T0, 1.5m, 2.25m, -0.75m, 1.10m, 0m),
            new(T0 + Minute, -3.000m, 1m, -4m, -2.5m, 12.345m, 99.1m, 3, 1.2345m),
            new(T0 + (2 * Minute), 7m, 8m, 6m, 7.5m, 1m, null, 12, null, T0 + (2 * Minute) + 30_000),
            new(T0 + (5 * Minute), 0.00000001m, 0.00000002m, 0.00000001m, 0.00000002m, 123456789.123456789m, 5m),
        ];
        await store.CommitAsync(Chunk(BtcM1, bars));

        // Columns here mix scales (1.5 and -3.000): a frame column has one scale, so only the values must match.
        AssertSameBars(bars, await store.ReadAsync(BtcM1, new TimeRange(T0, T0 + Day)), sameText: false);
    }

    [Fact]
    public async Task Coverage_AcrossAdjacentOverlappingAndDisjointChunks_IsTheirMergedUnion()
    {
        var store = await CreateStoreAsync();
        TimeRange At(long from, long to) => new(T0 + (from * Minute), T0 + (to * Minute));

        await store.CommitAsync(Chunk(BtcM1, At(0, 10), []));
        await store.CommitAsync(Chunk(BtcM1, At(10, 20), []));
        Assert.Equal(RangeSet.Of(At(0, 20)), await store.GetCoverageAsync(BtcM1));

        await store.CommitAsync(Chunk(BtcM1, At(15, 30), []));
        await store.CommitAsync(Chunk(BtcM1, At(50, 60), []));
        await store.CommitAsync(Chunk(BtcM1, At(70, 80), []));
        Assert.Equal(RangeSet.Of([At(0, 30), At(50, 60), At(70, 80)]), await store.GetCoverageAsync(BtcM1));

        await store.CommitAsync(Chunk(BtcM1, At(25, 55), []));
        await store.CommitAsync(Chunk(BtcM1, At(5, 6), []));
        Assert.Equal(RangeSet.Of([At(0, 60), At(70, 80)]), await store.GetCoverageAsync(BtcM1));
        Assert.True((await store.GetCoverageAsync(EthM1)).IsEmpty);
    }

    [Fact]
    public async Task Recommit_OfTheSameChunk_StoresNothingAndChangesNothing()
    {
        var store = await CreateStoreAsync();
        var bars = SampleBars.BtcLike(T0, 1000, seed: 3);
        var bad = new QuarantinedBar(SampleBars.Simple(T0 + (1000 * Minute), 5m) with { Volume = -1m }, "negative volume");
        var commit = Chunk(BtcM1, new TimeRange(T0, T0 + (1001 * Minute)), bars, [bad]);

        Assert.Equal(1000, (await store.CommitAsync(commit)).BarsStored);
        var coverage = await store.GetCoverageAsync(BtcM1);
        Assert.Equal(0, (await store.CommitAsync(commit)).BarsStored);

        AssertSameBars(bars, await store.ReadAsync(BtcM1, new TimeRange(T0, T0 + Day)));
        Assert.Equal(coverage, await store.GetCoverageAsync(BtcM1));
        Assert.Equal([bad], await store.ReadQuarantineAsync(BtcM1));
    }

    [Fact]
    public async Task Commit_OfABarAlreadyHeld_KeepsTheHeldBar()
    {
        var store = await CreateStoreAsync();
        var held = SampleBars.Simple(T0, 100m);
        await store.CommitAsync(Chunk(BtcM1, [held]));
        var result = await store.CommitAsync(Chunk(BtcM1, [held with { Close = 999m }, SampleBars.Simple(T0 + Minute, 101m)]));

        Assert.Equal(1, result.BarsStored);
        AssertSameBars([held, SampleBars.Simple(T0 + Minute, 101m)], await store.ReadAsync(BtcM1, new TimeRange(T0, T0 + Day)));
    }

    [Fact]
    public async Task Backfill_InsideAnExistingSegment_FillsTheHoleAndKeepsTheRest()
    {
        var store = await CreateStoreAsync();
        var all = SampleBars.BtcLike(T0 + (3 * 3_600_000), 600, seed: 11);
        var hole = all[200..260];
        var outside = all[..200].Concat(all[260..]).ToArray();
        await store.CommitAsync(Chunk(BtcM1, new TimeRange(all[0].OpenTimeMs, all[200].OpenTimeMs), all[..200]));
        await store.CommitAsync(Chunk(BtcM1, new TimeRange(all[260].OpenTimeMs, all[^1].OpenTimeMs + Minute), all[260..]));
        AssertSameBars(outside, await store.ReadAsync(BtcM1, new TimeRange(T0, T0 + Day)));

        var result = await store.CommitAsync(Chunk(BtcM1, new TimeRange(hole[0].OpenTimeMs, hole[^1].OpenTimeMs + Minute), hole));

        Assert.Equal(60, result.BarsStored);
        AssertSameBars(all, await store.ReadAsync(BtcM1, new TimeRange(T0, T0 + Day)));
        Assert.Equal(RangeSet.Of(new TimeRange(all[0].OpenTimeMs, all[^1].OpenTimeMs + Minute)), await store.GetCoverageAsync(BtcM1));
    }

    [Fact]
    public async Task Read_IsClippedToTheHalfOpenRange()
    {
        var store = await CreateStoreAsync();
        var bars = SampleBars.BtcLike(T0, 3 * 1440, seed: 5);
        await store.CommitAsync(Chunk(BtcM1, bars));

        // Across two segment boundaries, starting and ending mid-day; the bar at `to` is excluded.
        var from = T0 + (1000 * Minute);
        var to = T0 + (3000 * Minute);
        AssertSameBars(bars.Where(b => b.OpenTimeMs >= from && b.OpenTimeMs < to).ToArray(), await store.ReadAsync(BtcM1, new TimeRange(from, to)));
        AssertSameBars([bars[5]], await store.ReadAsync(BtcM1, new TimeRange(bars[5].OpenTimeMs, bars[5].OpenTimeMs + 1)));
        AssertSameBars([], await store.ReadAsync(BtcM1, new TimeRange(bars[5].OpenTimeMs + 1, bars[6].OpenTimeMs)));
        AssertSameBars([], await store.ReadAsync(BtcM1, new TimeRange(T0 - Day, T0)));
        AssertSameBars([], await store.ReadAsync(EthM1, new TimeRange(T0, T0 + Day)));
    }

    [Fact]
    public async Task Quarantine_IsKeptWithItsReasonAndNeverServed()
    {
        var store = await CreateStoreAsync();
        var good = SampleBars.Range(T0, T0 + (10 * Minute));
        var bad = new QuarantinedBar(new Bar(T0 + (10 * Minute), 5.10m, 4.00m, 6.00m, 5.00m, 1.000m, null, 3, null, null), "high < low");
        await store.CommitAsync(Chunk(BtcM1, new TimeRange(T0, T0 + (11 * Minute)), good, [bad]));

        AssertSameBars(good, await store.ReadAsync(BtcM1, new TimeRange(T0, T0 + Day)));
        var quarantined = Assert.Single(await store.ReadQuarantineAsync(BtcM1));
        Assert.Equal(bad, quarantined);
        Assert.Equal("5.10", quarantined.Bar.Open.ToString(CultureInfo.InvariantCulture));
        var summary = Assert.Single(await store.ListSeriesAsync(SeriesFilter.All));
        Assert.Equal(1, summary.QuarantinedCount);
        Assert.Equal(10, summary.BarCount);
    }

    [Fact]
    public async Task FetchLog_RecordsEveryCallOfSuccessesAndFailures()
    {
        var store = await CreateStoreAsync();
        var chunk = new TimeRange(T0, T0 + (10 * Minute));
        var at = DateTimeOffset.FromUnixTimeMilliseconds(T0 + Day);
        VendorCall[] calls =
        [
            new(at, "/api/v3/klines?symbol=BTCUSDT&interval=1m", 503, 0, 2, TimeSpan.FromMilliseconds(12.5), "HTTP 503"),
            new(at.AddSeconds(1), "/api/v3/klines?symbol=BTCUSDT&interval=1m", 200, 10, 2, TimeSpan.FromMilliseconds(40)),
        ];
        await store.CommitAsync(new ChunkCommit(BtcM1, chunk, chunk, SampleBars.Range(T0, chunk.ToMs), [], calls));
        var failedChunk = new TimeRange(chunk.ToMs, chunk.ToMs + (10 * Minute));
        var failed = new VendorCall(at.AddSeconds(2), "/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=1", null, 0, 2, TimeSpan.FromSeconds(30));
        await store.RecordFailureAsync(new ChunkFailure(BtcM1, failedChunk, [failed], "timed out after 3 attempts"));

        var log = await store.ReadFetchLogAsync(BtcM1);

        Assert.Equal(
            [new(BtcM1, chunk, calls[0]), new(BtcM1, chunk, calls[1]), new FetchLogEntry(BtcM1, failedChunk, failed with { Error = "timed out after 3 attempts" })],
            log);
        Assert.Equal(RangeSet.Of(chunk), await store.GetCoverageAsync(BtcM1));
        Assert.Empty(await store.ReadFetchLogAsync(EthM1));
    }

    [Fact]
    public async Task ListSeries_ReportsCoverageCountsAndBounds_AndFilters()
    {
        var store = await CreateStoreAsync();
        var btc = SampleBars.Range(T0, T0 + (90 * Minute));
        var ethHours = SampleBars.Range(T0, T0 + (5 * 3_600_000), 3_600_000);
        await store.CommitAsync(Chunk(BtcM1, new TimeRange(T0, T0 + Day), btc));
        await store.CommitAsync(Chunk(BtcH1, new TimeRange(T0, T0 + (5 * 3_600_000)), ethHours));
        await store.CommitAsync(Chunk(EthM1, new TimeRange(T0, T0 + Minute), []));

        var all = await store.ListSeriesAsync(SeriesFilter.All);
        var btcM1 = Assert.Single(await store.ListSeriesAsync(new SeriesFilter("binance", "BTCUSDT", Timeframe.M1)));

        Assert.Equal(3, all.Count);
        Assert.Equal(new SeriesSummary(BtcM1, RangeSet.Of(new TimeRange(T0, T0 + Day)), 90, T0, T0 + (89 * Minute), 0), btcM1);
        var eth = Assert.Single(await store.ListSeriesAsync(new SeriesFilter(Symbol: "ETHUSDT")));
        Assert.Equal(new SeriesSummary(EthM1, RangeSet.Of(new TimeRange(T0, T0 + Minute)), 0, null, null, 0), eth);
        Assert.Equal(2, (await store.ListSeriesAsync(new SeriesFilter(Symbol: "BTCUSDT"))).Count);
        Assert.Empty(await store.ListSeriesAsync(new SeriesFilter(Provider: "sim")));
    }

    protected async Task<IMarketStore> CreateStoreAsync() => Track(await CreateStoreCoreAsync());

    protected async Task<IMarketStore> OpenSameStoreAsync() => Track(await OpenSameStoreCoreAsync());

    protected static ChunkCommit Chunk(Series series, IReadOnlyList<Bar> bars)
        => Chunk(series, new TimeRange(bars[0].OpenTimeMs, series.Timeframe.CloseOf(bars[^1].OpenTimeMs)), bars);

    protected static ChunkCommit Chunk(Series series, TimeRange covered, IReadOnlyList<Bar> bars, IReadOnlyList<QuarantinedBar>? quarantined = null)
        => new(series, covered, covered, bars, quarantined ?? [], []);

    /// <summary>
    /// Bar records equal one by one, and with <paramref name="sameText"/> every decimal written the same (trailing
    /// zeros kept) — meaningful when each field has one scale, as a vendor writes it.
    /// </summary>
    protected static void AssertSameBars(IReadOnlyList<Bar> expected, IReadOnlyList<Bar> actual, bool sameText = true)
    {
        BarAssert.Equal(expected, actual, sameText);
    }


    private IMarketStore Track(IMarketStore store)
    {
        lock (_opened)
        {
            _opened.Add(store);
        }

        return store;
    }
}
