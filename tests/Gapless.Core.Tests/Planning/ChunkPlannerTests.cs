using FsCheck;
using FsCheck.Fluent;
using Gapless.Core.Model;
using Gapless.Core.Planning;
using Gapless.Core.Ports;

namespace Gapless.Core.Tests.Planning;

public sealed class ChunkPlannerTests
{
    private static readonly ProviderCapabilities Binance = new(1000, 2, null, Timeframe.All, TimeSpan.Zero);

    [Fact]
    public void Plan_EachMissingRange_BecomesCeilBarsOverMaxAlignedChunks()
    {
        var missing = RangeSet.Of([new TimeRange(0, 2500 * 60_000L), new TimeRange(3000 * 60_000L, 3001 * 60_000L)]);

        var chunks = ChunkPlanner.Plan(missing, Timeframe.M1, Binance);

        Assert.Equal(
            [new TimeRange(0, 60_000_000), new TimeRange(60_000_000, 120_000_000), new TimeRange(120_000_000, 150_000_000), new TimeRange(180_000_000, 180_060_000)],
            chunks);
    }

    [Fact]
    public void Plan_MaxSpanPerRequest_CapsChunksBelowTheBarLimit()
    {
        var eodhdLike = Binance with { MaxBarsPerRequest = 50_000, MaxSpanPerRequest = TimeSpan.FromDays(1) };

        var chunks = ChunkPlanner.Plan(RangeSet.Of(new TimeRange(0, 3 * 86_400_000L)), Timeframe.M1, eodhdLike);

        Assert.Equal([new TimeRange(0, 86_400_000), new TimeRange(86_400_000, 172_800_000), new TimeRange(172_800_000, 259_200_000)], chunks);
    }

    [Fact]
    public void PlanWithLimit_And_Count_AgreeWithTheFullPlan()
    {
        var ranges = Gen.Choose(0, 5000).Two().Select(t => new TimeRange(Math.Min(t.Item1, t.Item2) * 60_000L, Math.Max(t.Item1, t.Item2) * 60_000L)).ListOf();
        var limits = Gen.Choose(0, 12);
        Prop.ForAll(Arb.From(ranges), Arb.From(limits), (list, limit) =>
        {
            var missing = RangeSet.Of(list);
            var full = ChunkPlanner.Plan(missing, Timeframe.M1, Binance);
            Assert.Equal(full.Count, ChunkPlanner.Count(missing, Timeframe.M1, Binance));
            Assert.Equal(full.Take(limit), ChunkPlanner.Plan(missing, Timeframe.M1, Binance, limit));
            Assert.Equal(missing, RangeSet.Of(full));
            Assert.All(full, c => Assert.InRange(Timeframe.M1.CountBars(c), 1, 1000));
        }).QuickCheckThrowOnFailure();
    }
}
