using Gapless.Core.Calendars;
using Gapless.Core.Model;
using Gapless.Core.Planning;
using Gapless.Core.Ports;

namespace Gapless.Core.Tests.Planning;

/// <summary>Under a market calendar a chunk holds a page of expected bars, so closed hours cost no requests.</summary>
public sealed class CalendarChunkPlannerTests
{
    private static readonly ProviderCapabilities TenThousand = new(10_000, 1, null, Timeframe.All, TimeSpan.Zero, "XNYS-extended");

    private static long Day(int month, int day) => UtcTime.ToEpochMs(new DateTimeOffset(2024, month, day, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Plan_JanuaryOf1mExtendedHours_TakesThreePagesWhereWallClockChunksTakeFive()
    {
        var calendar = TradingCalendars.Get("XNYS-extended");
        // Through 05:00Z on February 1: January 31's extended session ends at 20:00 New York, 01:00 UTC.
        var january = RangeSet.Of(new TimeRange(Day(1, 2), Day(2, 1) + (5 * 3_600_000L)));

        var chunks = ChunkPlanner.Plan(january, Timeframe.M1, TenThousand, calendar: calendar);

        // 21 trading days (MLK day closed) × 960 extended-hours minutes = 20,160 bars.
        Assert.Equal(20_160, calendar.CountExpected(Timeframe.M1, january.Span!.Value));
        Assert.Equal(3, chunks.Count);
        Assert.Equal([10_000L, 10_000L, 160L], chunks.Select(c => calendar.CountExpected(Timeframe.M1, c)));
        Assert.Equal(january, RangeSet.Of(chunks));
        Assert.Equal(5, ChunkPlanner.Plan(january, Timeframe.M1, TenThousand).Count); // 43,500 wall-clock minutes
        Assert.Equal(3, ChunkPlanner.Count(january, Timeframe.M1, TenThousand, calendar));

        // Each chunk ends where the next expected bar opens, so nothing is fetched twice or skipped.
        Assert.True(calendar.IsExpected(Timeframe.M1, chunks[1].FromMs));
    }

    [Fact]
    public void Plan_SpanCapPerTimeframe_BindsUnderACalendarToo()
    {
        var calendar = TradingCalendars.Get("XNYS-extended");
        var capped = TenThousand with
        {
            MaxBarsPerRequest = 1_000_000,
            MaxSpanByTimeframe = new Dictionary<Timeframe, TimeSpan> { [Timeframe.M1] = TimeSpan.FromDays(7) },
        };
        var january = RangeSet.Of(new TimeRange(Day(1, 1), Day(1, 29)));

        var chunks = ChunkPlanner.Plan(january, Timeframe.M1, capped, calendar: calendar);

        Assert.Equal(4, chunks.Count);
        Assert.All(chunks, c => Assert.True(c.LengthMs <= TimeSpan.FromDays(7).TotalMilliseconds));
        Assert.Equal(january, RangeSet.Of(chunks));
    }
}
