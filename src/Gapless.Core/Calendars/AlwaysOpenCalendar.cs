using Gapless.Core.Model;

namespace Gapless.Core.Calendars;

/// <summary>
/// <c>24/7</c>: a market that never closes (crypto). Time is one continuous session, so every aligned bar is expected
/// and counting is O(1) through the timeframe's own bar arithmetic.
/// </summary>
internal sealed class AlwaysOpenCalendar : ITradingCalendar
{
    public static AlwaysOpenCalendar Instance { get; } = new();

    private AlwaysOpenCalendar()
    {
    }

    public string Name => TradingCalendars.AlwaysOpen;

    /// <summary>The range itself: one session without end, cut to the range. Nothing for an empty range.</summary>
    public IEnumerable<TimeRange> Sessions(TimeRange range) => range.IsEmpty ? [] : [range];

    public bool IsExpected(Timeframe timeframe, long openTimeMs)
    {
        ArgumentNullException.ThrowIfNull(timeframe);
        return timeframe.IsAligned(openTimeMs);
    }

    public long CountExpected(Timeframe timeframe, TimeRange range)
    {
        ArgumentNullException.ThrowIfNull(timeframe);
        return timeframe.CountBars(range);
    }

    public IEnumerable<long> ExpectedOpenTimes(Timeframe timeframe, TimeRange range)
    {
        ArgumentNullException.ThrowIfNull(timeframe);
        return Enumerate(timeframe, range);

        static IEnumerable<long> Enumerate(Timeframe timeframe, TimeRange range)
        {
            for (var t = timeframe.Ceiling(range.FromMs); t < range.ToMs; t = timeframe.Add(t, 1))
            {
                yield return t;
            }
        }
    }

    public override string ToString() => Name;
}
