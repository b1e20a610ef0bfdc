using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Storage.Sqlite.Internal;
using Gapless.Testing;
using Gapless.Testing.Storage;

namespace Gapless.Storage.Sqlite.Tests;

/// <summary>Commits write their own parts of a bucket; overlaps merge with the parts they touch; many parts compact.</summary>
public sealed class SqliteSegmentPartsTests : IDisposable
{
    private const long T0 = 1_704_067_200_000;
    private const long Minute = 60_000;
    private static readonly Series Btc = new("binance", "BTCUSDT", Timeframe.M1);
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task AppendCommits_EachWriteTheirOwnPart_AndReadBackExactly()
    {
        await using var store = await SqliteMarketStore.OpenAsync(_folder.File("append.db"));
        var bars = SampleBars.BtcLike(T0, 1440, seed: 2);

        foreach (var chunk in bars.Chunk(500))
        {
            Assert.Equal(chunk.Length, (await store.CommitAsync(Commit(chunk))).BarsStored);
        }

        Assert.Equal(3, (await store.GetInfoAsync()).SegmentCount);
        Assert.Equal(bars, (await store.ReadAsync(Btc, new TimeRange(T0, T0 + 86_400_000))).ToArray());
    }

    [Fact]
    public async Task Commit_OverlappingTwoParts_MergesThemIntoOne_HeldBarsWin()
    {
        await using var store = await SqliteMarketStore.OpenAsync(_folder.File("overlap.db"));
        var bars = SampleBars.BtcLike(T0, 300, seed: 5);
        await store.CommitAsync(Commit(bars[..100]));
        await store.CommitAsync(Commit(bars[200..]));
        var changed = bars[50..250].Select(b => b with { Close = b.Close + 1m, High = b.High + 1m }).ToArray();

        var result = await store.CommitAsync(Commit(changed));

        Assert.Equal(100, result.BarsStored);
        Assert.Equal(1, (await store.GetInfoAsync()).SegmentCount);
        var expected = bars[..100].Concat(changed[50..150]).Concat(bars[200..]).ToArray();
        Assert.Equal(expected, (await store.ReadAsync(Btc, new TimeRange(T0, T0 + 86_400_000))).ToArray());
    }

    [Fact]
    public async Task ManySmallCommitsInOneBucket_AreCompacted_AndStayExact()
    {
        await using var store = await SqliteMarketStore.OpenAsync(_folder.File("compact.db"));
        var bars = SampleBars.BtcLike(T0, 200, seed: 9);

        // Out of order, so parts land before, after and between each other.
        var order = Enumerable.Range(0, 20).OrderBy(i => (i * 7) % 20).ToArray();
        foreach (var i in order)
        {
            await store.CommitAsync(Commit(bars[(i * 10)..((i + 1) * 10)]));
        }

        Assert.InRange((await store.GetInfoAsync()).SegmentCount, 1, CommitWriter.MaxPartsPerBucket);
        Assert.Equal(bars, (await store.ReadAsync(Btc, new TimeRange(T0, T0 + 86_400_000))).ToArray());
        Assert.Equal(RangeSet.Of(new TimeRange(T0, T0 + (200 * Minute))), await store.GetCoverageAsync(Btc));
    }

    [Fact]
    public async Task Read_AcrossPartsAndDays_IsClippedToTheRange()
    {
        await using var store = await SqliteMarketStore.OpenAsync(_folder.File("clip.db"));
        var bars = SampleBars.BtcLike(T0, 3 * 1440, seed: 6);
        foreach (var chunk in bars.Chunk(1000))
        {
            await store.CommitAsync(Commit(chunk));
        }

        var from = bars[900].OpenTimeMs;
        var to = bars[3100].OpenTimeMs;

        Assert.Equal(bars[900..3100], (await store.ReadAsync(Btc, new TimeRange(from, to))).ToArray());
    }

    public void Dispose() => _folder.Dispose();

    private static ChunkCommit Commit(Bar[] bars)
    {
        var range = new TimeRange(bars[0].OpenTimeMs, bars[^1].OpenTimeMs + Minute);
        return new ChunkCommit(Btc, range, range, bars, [], []);
    }
}
