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

    [Fact]
    public async Task LargeCommit_EncodedOnSeveralThreads_ReadsBackExactly_AndThenAppends()
    {
        await using var store = await SqliteMarketStore.OpenAsync(_folder.File("large.db"));
        var bars = SampleBars.BtcLike(T0, 16 * 1440, seed: 14);

        Assert.Equal(15 * 1440, (await store.CommitAsync(Commit(bars[..(15 * 1440)]))).BarsStored);
        Assert.Equal(1440, (await store.CommitAsync(Commit(bars[(15 * 1440)..]))).BarsStored);

        Assert.Equal(16, (await store.GetInfoAsync()).SegmentCount);
        Assert.Equal(bars, (await store.ReadAsync(Btc, new TimeRange(T0, T0 + (16 * 86_400_000L)))).ToArray());
        Assert.Equal(RangeSet.Of(new TimeRange(T0, T0 + (16 * 1440 * Minute))), await store.GetCoverageAsync(Btc));
    }

    [Fact]
    public async Task WriterMemory_IsForgotten_WhenAnotherStoreWritesTheSameBucket()
    {
        // Each store remembers the parts and coverage rows it wrote; the other's writes must make it read again.
        var path = _folder.File("two.db");
        await using var a = await SqliteMarketStore.OpenAsync(path);
        await using var b = await SqliteMarketStore.OpenAsync(path);
        var bars = SampleBars.BtcLike(T0, 400, seed: 11);
        var fromB = bars[50..150].Select(x => x with { Close = x.Close + 1m, High = x.High + 1m }).ToArray();

        await a.CommitAsync(Commit(bars[..100]));
        Assert.Equal(50, (await b.CommitAsync(Commit(fromB))).BarsStored);
        Assert.Equal(50, (await a.CommitAsync(Commit(bars[100..200]))).BarsStored);
        await b.CommitAsync(Commit(bars[300..]));
        await a.CommitAsync(Commit(bars[200..300]));

        var expected = bars[..100].Concat(fromB[50..]).Concat(bars[150..]).ToArray();
        foreach (var store in new[] { a, b })
        {
            Assert.Equal(expected, (await store.ReadAsync(Btc, new TimeRange(T0, T0 + 86_400_000))).ToArray());
            Assert.Equal(RangeSet.Of(new TimeRange(T0, T0 + (400 * Minute))), await store.GetCoverageAsync(Btc));
        }

        Assert.Equal(1, await CountAsync(path, "SELECT count(*) FROM coverage"));
        Assert.Equal(0, await CountAsync(path, "SELECT count(*) FROM segments s JOIN segments t ON s.series_id = t.series_id AND s.bucket_start_ms = t.bucket_start_ms AND s.first_open_ms < t.first_open_ms AND s.last_open_ms >= t.first_open_ms"));
    }

    [Fact]
    public async Task WriterMemory_IsForgotten_WhenACommitRollsBack()
    {
        await using var store = await SqliteMarketStore.OpenAsync(_folder.File("rollback.db"));
        var bars = SampleBars.BtcLike(T0, 300, seed: 12);
        await store.CommitAsync(Commit(bars[..100]));
        store.Writer.StageHook = s => throw new InvalidOperationException(s);
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.CommitAsync(Commit(bars[100..200])));
        store.Writer.StageHook = null;

        Assert.Equal(100, (await store.CommitAsync(Commit(bars[100..200]))).BarsStored);
        Assert.Equal(100, (await store.CommitAsync(Commit(bars[200..]))).BarsStored);

        Assert.Equal(bars, (await store.ReadAsync(Btc, new TimeRange(T0, T0 + 86_400_000))).ToArray());
        Assert.Equal(RangeSet.Of(new TimeRange(T0, T0 + (300 * Minute))), await store.GetCoverageAsync(Btc));
    }

    [Fact]
    public async Task CoverageAppends_ExtendOneRow_AndGapsStaySeparate()
    {
        var path = _folder.File("coverage.db");
        await using var store = await SqliteMarketStore.OpenAsync(path);
        var bars = SampleBars.BtcLike(T0, 600, seed: 13);
        foreach (var chunk in bars[..300].Chunk(50))
        {
            await store.CommitAsync(Commit(chunk));
        }

        await store.CommitAsync(Commit(bars[400..500]));
        await store.CommitAsync(Commit(bars[250..350]));
        await store.CommitAsync(Commit(bars[500..]));

        Assert.Equal(
            RangeSet.Of([new TimeRange(T0, T0 + (350 * Minute)), new TimeRange(T0 + (400 * Minute), T0 + (600 * Minute))]),
            await store.GetCoverageAsync(Btc));
        Assert.Equal(2, await CountAsync(path, "SELECT count(*) FROM coverage"));
        await store.CommitAsync(Commit(bars[340..410]));
        Assert.Equal(RangeSet.Of(new TimeRange(T0, T0 + (600 * Minute))), await store.GetCoverageAsync(Btc));
        Assert.Equal(1, await CountAsync(path, "SELECT count(*) FROM coverage"));
    }

    public void Dispose() => _folder.Dispose();

    private static async Task<long> CountAsync(string path, string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static ChunkCommit Commit(Bar[] bars)
    {
        var range = new TimeRange(bars[0].OpenTimeMs, bars[^1].OpenTimeMs + Minute);
        return new ChunkCommit(Btc, range, range, bars, [], []);
    }
}
