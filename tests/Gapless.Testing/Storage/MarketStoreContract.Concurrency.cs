using Gapless.Core.Model;
using Gapless.Core.Ports;
using Xunit;

namespace Gapless.Testing.Storage;

/// <summary>Concurrent writers: many commits at once, on one store instance and on two over one database.</summary>
public abstract partial class MarketStoreContract
{
    [Fact]
    public async Task ParallelCommits_OnOneStore_LoseNothing()
    {
        var store = await CreateStoreAsync();
        var bars = SampleBars.BtcLike(T0, 2 * 1440, seed: 21);

        // 1000-bar chunks whose edges overlap their neighbours' and share segments, committed all at once, plus a second series.
        var chunks = Enumerable.Range(0, 12).Select(i => bars.Skip(i * 240).Take(300).ToArray()).Where(c => c.Length > 0).ToArray();
        var eth = SampleBars.Range(T0, T0 + (500 * Minute));
        var tasks = chunks.Select(c => store.CommitAsync(Chunk(BtcM1, c))).Append(store.CommitAsync(Chunk(EthM1, eth)));
        var results = await Task.WhenAll(tasks);

        Assert.Equal(bars.Length + eth.Length, results.Sum(r => r.BarsStored));
        AssertSameBars(bars, await store.ReadAsync(BtcM1, new TimeRange(T0, T0 + (2 * Day))));
        AssertSameBars(eth, await store.ReadAsync(EthM1, new TimeRange(T0, T0 + (2 * Day))));
        Assert.Equal(RangeSet.Of(new TimeRange(T0, T0 + (2 * Day))), await store.GetCoverageAsync(BtcM1));
    }

    [Fact]
    public async Task ParallelCommits_FromTwoInstancesOnOneDatabase_LoseNothing()
    {
        var first = await CreateStoreAsync();
        var second = await OpenSameStoreAsync();
        var bars = SampleBars.BtcLike(T0, 1440, seed: 9);

        // Interleaved 60-bar chunks: every segment is rewritten by both instances.
        var tasks = Enumerable.Range(0, 24)
            .Select(i => (i % 2 == 0 ? first : second).CommitAsync(Chunk(BtcM1, bars[(i * 60)..((i + 1) * 60)])))
            .ToArray();
        var results = await Task.WhenAll(tasks);

        Assert.Equal(bars.Length, results.Sum(r => r.BarsStored));
        AssertSameBars(bars, await first.ReadAsync(BtcM1, new TimeRange(T0, T0 + Day)));
        AssertSameBars(bars, await second.ReadAsync(BtcM1, new TimeRange(T0, T0 + Day)));
        Assert.Equal(RangeSet.Of(new TimeRange(T0, T0 + Day)), await second.GetCoverageAsync(BtcM1));
    }

    [Fact]
    public async Task Coverage_FromManyConcurrentDisjointCommits_IsNeverLost()
    {
        var first = await CreateStoreAsync();
        var second = await OpenSameStoreAsync();

        // Every other minute-range, in shuffled order, from both instances: the merged result must hold all of them.
        var ranges = Enumerable.Range(0, 40).Select(i => new TimeRange(T0 + (i * 2 * Minute), T0 + (((i * 2) + 1) * Minute))).ToArray();
        var order = ranges.OrderBy(r => (r.FromMs * 7919) % 41).ToArray();
        await Task.WhenAll(order.Select((r, i) => (i % 2 == 0 ? first : second).CommitAsync(Chunk(BtcM1, r, []))));

        Assert.Equal(RangeSet.Of(ranges), await first.GetCoverageAsync(BtcM1));
    }
}
