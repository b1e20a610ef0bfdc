using Gapless.Core.Model;

namespace Gapless.Core.Tests.Model;

public sealed class RangeSetTests
{
    private static TimeRange R(long from, long to) => new(from, to);

    [Fact]
    public void Of_AdjacentRanges_MergeIntoOne()
        => Assert.Equal([R(0, 30)], RangeSet.Of([R(10, 20), R(0, 10), R(20, 30)]).ToArray());

    [Fact]
    public void Of_EmptyRanges_Vanish()
    {
        Assert.True(RangeSet.Of(R(5, 5)).IsEmpty);
        Assert.Equal([R(1, 2)], RangeSet.Of([R(0, 0), R(1, 2), R(7, 7)]).ToArray());
        Assert.Equal(RangeSet.Empty, RangeSet.Of([R(3, 3), R(9, 9)]));
    }

    [Fact]
    public void Of_OverlappingAndNested_MergeAndSort()
        => Assert.Equal(
            [R(-50, -10), R(0, 25), R(40, 41)],
            RangeSet.Of([R(40, 41), R(5, 10), R(0, 20), R(15, 25), R(-50, -10), R(-20, -10)]).ToArray());

    [Fact]
    public void Subtract_MiddleOfRange_LeavesTwoPieces()
        => Assert.Equal([R(0, 10), R(20, 30)], RangeSet.Of(R(0, 30)).Subtract(R(10, 20)).ToArray());

    [Fact]
    public void Subtract_OneCutSpanningSeveralRanges_TrimsEdges()
    {
        var set = RangeSet.Of([R(0, 10), R(20, 30), R(40, 50)]);
        Assert.Equal([R(0, 5), R(45, 50)], set.Subtract(R(5, 45)).ToArray());
    }

    [Fact]
    public void Subtract_ManyCutsInsideOneRange_LeavesGapsBetweenThem()
    {
        var set = RangeSet.Of(R(0, 100));
        var cuts = RangeSet.Of([R(10, 20), R(30, 40), R(90, 100), R(-5, 1)]);
        Assert.Equal([R(1, 10), R(20, 30), R(40, 90)], set.Subtract(cuts).ToArray());
    }

    [Fact]
    public void Intersect_InterleavedRanges_KeepsOnlyOverlaps()
    {
        var a = RangeSet.Of([R(0, 10), R(20, 30), R(40, 50)]);
        var b = RangeSet.Of([R(5, 25), R(30, 40), R(45, 60)]);
        Assert.Equal([R(5, 10), R(20, 25), R(45, 50)], a.Intersect(b).ToArray());
    }

    [Fact]
    public void Intersect_TouchingRanges_IsEmpty()
        => Assert.True(RangeSet.Of(R(0, 10)).Intersect(R(10, 20)).IsEmpty);

    [Fact]
    public void Union_FillingTheGap_MergesNeighbours()
        => Assert.Equal([R(0, 30)], RangeSet.Of([R(0, 10), R(20, 30)]).Union(R(10, 20)).ToArray());

    [Fact]
    public void Contains_RangeAcrossGap_IsFalse()
    {
        var set = RangeSet.Of([R(0, 10), R(11, 20)]);
        Assert.False(set.Contains(R(5, 15)));
        Assert.True(set.Contains(R(11, 20)));
        Assert.True(set.Contains(R(0, 10)));
        Assert.False(set.Contains(R(0, 11)));
        Assert.True(set.Contains(R(50, 50)));
        Assert.False(set.Contains(10));
        Assert.True(set.Contains(11));
        Assert.False(set.Contains(20));
        Assert.False(set.Contains(-1));
    }

    [Fact]
    public void TotalLengthMs_SumsRanges()
        => Assert.Equal(10 + 9, RangeSet.Of([R(0, 10), R(11, 20)]).TotalLengthMs);

    [Fact]
    public void Coverage_MissingRanges_ShowInteriorHole()
    {
        // The DESIGN's motivating case: coverage with a hole in the middle, a request spanning it.
        var day = 86_400_000L;
        var coverage = RangeSet.Of([R(0, 10 * day), R(12 * day, 20 * day)]);
        var missing = RangeSet.Of(R(5 * day, 25 * day)).Subtract(coverage);
        Assert.Equal([R(10 * day, 12 * day), R(20 * day, 25 * day)], missing.ToArray());
    }

    [Fact]
    public void ToString_ShowsIsoRanges()
    {
        Assert.Equal("{}", RangeSet.Empty.ToString());
        Assert.Equal(
            "{[2024-01-01T00:00:00Z, 2024-01-01T01:00:00Z)}",
            RangeSet.Of(R(1_704_067_200_000, 1_704_070_800_000)).ToString());
    }

    [Fact]
    public void Equals_DifferentSets_AreNotEqual()
    {
        Assert.NotEqual(RangeSet.Of(R(0, 10)), RangeSet.Of(R(0, 11)));
        Assert.NotEqual(RangeSet.Of([R(0, 5), R(6, 10)]), RangeSet.Of(R(0, 10)));
        Assert.False(RangeSet.Of(R(0, 10)).Equals(null));
    }

    [Fact]
    public void Of_NullInput_Throws()
        => Assert.Throws<ArgumentNullException>(() => RangeSet.Of((IEnumerable<TimeRange>)null!));
}
