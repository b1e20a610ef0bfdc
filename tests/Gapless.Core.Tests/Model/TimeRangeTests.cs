using Gapless.Core.Model;

namespace Gapless.Core.Tests.Model;

public sealed class TimeRangeTests
{
    private static readonly long Jan2 = T(2024, 1, 2);
    private static readonly long Jan5 = T(2024, 1, 5);

    private static long T(int year, int month, int day, int hour = 0, int minute = 0, int second = 0, int ms = 0)
        => new DateTimeOffset(year, month, day, hour, minute, second, ms, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static TimeRange R(long from, long to) => new(from, to);

    [Fact]
    public void Constructor_FromAfterTo_ThrowsNamingBothInstants()
    {
        var ex = Assert.Throws<ArgumentException>(() => new TimeRange(Jan5, Jan2));
        Assert.Equal("fromMs", ex.ParamName);
        Assert.Contains("2024-01-05T00:00:00Z", ex.Message, StringComparison.Ordinal);
        Assert.Contains("2024-01-02T00:00:00Z", ex.Message, StringComparison.Ordinal);
        Assert.True(
            ex.Message.IndexOf("2024-01-05", StringComparison.Ordinal) < ex.Message.IndexOf("2024-01-02", StringComparison.Ordinal),
            "the message should name from first, then to: " + ex.Message);
    }

    [Fact]
    public void Constructor_OneMillisecondApart_ShowsMilliseconds()
    {
        var ex = Assert.Throws<ArgumentException>(() => new TimeRange(Jan2 + 1, Jan2));
        Assert.Contains("2024-01-02T00:00:00.001Z", ex.Message, StringComparison.Ordinal);
        Assert.Contains("2024-01-02T00:00:00Z", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_EqualInstants_IsEmptyRange()
    {
        var r = R(Jan2, Jan2);
        Assert.True(r.IsEmpty);
        Assert.Equal(0, r.LengthMs);
        Assert.False(r.Contains(Jan2));
    }

    [Fact]
    public void Properties_ReportUtcEnds()
    {
        var r = R(Jan2, Jan5);
        Assert.Equal(3 * 86_400_000L, r.LengthMs);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero), r.From);
        Assert.Equal(TimeSpan.Zero, r.To.Offset);
        Assert.Equal("[2024-01-02T00:00:00Z, 2024-01-05T00:00:00Z)", r.ToString());
    }

    [Fact]
    public void Of_NonUtcOffsets_ConvertToSameInstants()
    {
        var r = TimeRange.Of(
            new DateTimeOffset(2024, 1, 1, 19, 0, 0, TimeSpan.FromHours(-5)),
            new DateTimeOffset(2024, 1, 5, 1, 0, 0, TimeSpan.FromHours(1)));
        Assert.Equal(R(Jan2, Jan5), r);
    }

    [Fact]
    public void Contains_Instant_IsHalfOpen()
    {
        var r = R(100, 200);
        Assert.False(r.Contains(99));
        Assert.True(r.Contains(100));
        Assert.True(r.Contains(199));
        Assert.False(r.Contains(200));
        Assert.True(R(-200, -100).Contains(-200));
        Assert.False(R(-200, -100).Contains(-100));
    }

    [Fact]
    public void Contains_Range_IncludesEdgesOnlyWithinHalfOpenBounds()
    {
        var r = R(100, 200);
        Assert.True(r.Contains(r));
        Assert.True(r.Contains(R(100, 101)));
        Assert.True(r.Contains(R(199, 200)));
        Assert.True(r.Contains(R(150, 150)));
        Assert.False(r.Contains(R(99, 150)));
        Assert.False(r.Contains(R(150, 201)));
        Assert.False(r.Contains(R(200, 201)));
        Assert.False(r.Contains(R(0, 300)));
    }

    [Fact]
    public void Overlaps_SharedInstantRequired()
    {
        var r = R(100, 200);
        Assert.True(r.Overlaps(R(199, 300)));
        Assert.True(r.Overlaps(R(0, 101)));
        Assert.True(r.Overlaps(R(120, 130)));
        Assert.True(r.Overlaps(R(0, 300)));
        Assert.False(r.Overlaps(R(200, 300)), "touching at To shares no instant");
        Assert.False(r.Overlaps(R(0, 100)), "touching at From shares no instant");
        Assert.False(r.Overlaps(R(300, 400)));
    }

    [Fact]
    public void Overlaps_EmptyRange_NeverOverlaps()
    {
        // An empty range holds no instant, so it shares none with anything: Overlaps must agree with Intersect.
        var r = R(100, 200);
        Assert.False(r.Overlaps(R(150, 150)));
        Assert.False(R(150, 150).Overlaps(r));
        Assert.False(R(150, 150).Overlaps(R(150, 150)));
    }

    [Fact]
    public void Intersect_Cases()
    {
        var r = R(100, 200);
        Assert.Equal(R(150, 200), r.Intersect(R(150, 300)));
        Assert.Equal(R(100, 150), r.Intersect(R(0, 150)));
        Assert.Equal(R(120, 130), r.Intersect(R(120, 130)));
        Assert.Equal(r, r.Intersect(R(0, 300)));
        Assert.Equal(r, r.Intersect(r));
        Assert.True(r.Intersect(R(200, 300)).IsEmpty);
        Assert.True(r.Intersect(R(0, 100)).IsEmpty);
        Assert.True(r.Intersect(R(300, 400)).IsEmpty);
        Assert.True(r.Intersect(R(150, 150)).IsEmpty);
    }

    [Fact]
    public void Intersect_AgreesWithOverlapsAndContains_Exhaustively()
    {
        // Every pair of ranges over 0..8 (including empty ones), checked against instant-by-instant membership.
        var ranges = (from a in Enumerable.Range(0, 9) from b in Enumerable.Range(a, 9 - a) select R(a, b)).ToArray();
        foreach (var x in ranges)
        {
            foreach (var y in ranges)
            {
                var shared = Enumerable.Range(0, 9).Where(t => x.Contains(t) && y.Contains(t)).ToArray();
                var i = x.Intersect(y);
                Assert.Equal(shared, Enumerable.Range(0, 9).Where(t => i.Contains(t)).ToArray());
                Assert.Equal(shared.Length, i.LengthMs);
                Assert.True(shared.Length > 0 == x.Overlaps(y), $"{x}.Overlaps({y}) should be {shared.Length > 0}");
                Assert.Equal(x.Overlaps(y), y.Overlaps(x));
                var yInX = Enumerable.Range(0, 9).Where(t => y.Contains(t)).All(t => x.Contains(t));
                if (!y.IsEmpty)
                {
                    Assert.True(yInX == x.Contains(y), $"{x}.Contains({y}) should be {yInX}");
                }
            }
        }
    }

    [Fact]
    public void CompareTo_OrdersByFromThenTo()
    {
        Assert.True(R(0, 10) < R(1, 2));
        Assert.True(R(0, 10) < R(0, 11));
        Assert.True(R(0, 10) <= R(0, 10));
        Assert.True(R(5, 5) > R(0, 100));
        Assert.True(R(5, 6) >= R(5, 5));
        Assert.Equal(0, R(3, 4).CompareTo(R(3, 4)));
    }
}
