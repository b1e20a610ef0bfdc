using Gapless.Core.Model;

namespace Gapless.Core.Calendars;

/// <summary>Which bars are expected: per-session arithmetic on the timeframe's grid, never per-bar enumeration.</summary>
public sealed partial class ExchangeCalendar
{
    /// <summary>Receives expected intervals in ascending order; returns false to stop the walk.</summary>
    private interface IIntervalSink
    {
        bool Add(long fromMs, long toMs);
    }

    /// <inheritdoc/>
    /// <remarks>A misaligned <paramref name="openTimeMs"/> is never expected.</remarks>
    public bool IsExpected(Timeframe timeframe, long openTimeMs)
    {
        ArgumentNullException.ThrowIfNull(timeframe);
        if (openTimeMs < MinMs || openTimeMs >= MaxMs || !timeframe.IsAligned(openTimeMs))
        {
            return false;
        }

        var sink = default(AnySink);
        WalkExpected(timeframe, openTimeMs, timeframe.CloseOf(openTimeMs), ref sink);
        return sink.Found;
    }

    /// <inheritdoc/>
    public long CountExpected(Timeframe timeframe, TimeRange range)
    {
        ArgumentNullException.ThrowIfNull(timeframe);
        var (lo, hi) = AlignedOpens(timeframe, range);
        var sink = new CountSink(timeframe);
        WalkExpected(timeframe, lo, hi, ref sink);
        return sink.Count;
    }

    /// <inheritdoc/>
    public IEnumerable<long> ExpectedOpenTimes(Timeframe timeframe, TimeRange range)
    {
        ArgumentNullException.ThrowIfNull(timeframe);
        return Enumerate(timeframe, range);

        IEnumerable<long> Enumerate(Timeframe timeframe, TimeRange range)
        {
            var (lo, hi) = AlignedOpens(timeframe, range);
            var sink = new ListSink([]);
            WalkExpected(timeframe, lo, hi, ref sink);
            foreach (var interval in sink.Intervals)
            {
                for (var t = interval.FromMs; t < interval.ToMs; t = timeframe.Add(t, 1))
                {
                    yield return t;
                }
            }
        }
    }

    /// <summary>The aligned bar opens inside <paramref name="range"/>: <c>[lo, hi)</c>, clamped to the calendar's years.</summary>
    private static (long Lo, long Hi) AlignedOpens(Timeframe timeframe, TimeRange range)
    {
        var from = Math.Clamp(range.FromMs, MinMs, MaxMs);
        var to = Math.Clamp(range.ToMs, MinMs, MaxMs);
        return to <= from ? (from, from) : (timeframe.Ceiling(from), timeframe.Ceiling(to));
    }

    /// <summary>
    /// Feeds <paramref name="sink"/> the expected bars with opens in the aligned <c>[lo, hi)</c>, as merged, ascending,
    /// bar-aligned ranges of opens. Intraday, a session <c>[open, close)</c> expects the bars opening in
    /// <c>[Floor(open), Ceiling(close))</c>: exactly those whose span overlaps it. Daily and longer, a trading date
    /// expects the one bar holding its 00:00 UTC. Merging makes a bar that touches two sessions (a 12h bar across an
    /// extended-hours night) count once. One pass over the sessions, no allocation: the sink is a struct.
    /// </summary>
    private void WalkExpected<TSink>(Timeframe timeframe, long lo, long hi, ref TSink sink)
        where TSink : struct, IIntervalSink
    {
        if (hi <= lo)
        {
            return;
        }

        var daily = !timeframe.IsFixedLength || timeframe.NominalLengthMs >= Day;

        // A session lies within two days of its trading date in any time zone; the exact test below trims the rest.
        var fromDate = Math.Max(daily ? lo : FloorDay(lo) - (2 * Day), MinMs);
        var toDate = Math.Min(daily ? hi : FloorDay(hi - 1) + (2 * Day), MaxMs);
        if (toDate <= fromDate)
        {
            return;
        }

        long pendingFrom = 0, pendingTo = 0;
        var pending = false;
        var lastYear = UtcTime.ToDateTimeOffset(toDate - 1).Year;
        for (var year = UtcTime.ToDateTimeOffset(fromDate).Year; year <= lastYear; year++)
        {
            var table = Year(year);
            var dates = table.Dates;
            var opens = table.Opens;
            var closes = table.Closes;
            for (var i = table.FirstOnOrAfter(fromDate); i < dates.Length && dates[i] < toDate; i++)
            {
                long from, to;
                if (daily)
                {
                    from = timeframe.Floor(dates[i]);
                    to = timeframe.CloseOf(from);
                }
                else
                {
                    from = Math.Max(timeframe.Floor(opens[i]), lo);
                    to = Math.Min(timeframe.Ceiling(closes[i]), hi);
                    if (to <= from)
                    {
                        continue;
                    }
                }

                if (!pending)
                {
                    (pendingFrom, pendingTo, pending) = (from, to, true);
                }
                else if (from <= pendingTo)
                {
                    pendingTo = Math.Max(pendingTo, to);
                }
                else
                {
                    if (!sink.Add(pendingFrom, pendingTo))
                    {
                        return;
                    }

                    (pendingFrom, pendingTo) = (from, to);
                }
            }
        }

        if (pending)
        {
            sink.Add(pendingFrom, pendingTo);
        }
    }

    private struct AnySink : IIntervalSink
    {
        public bool Found { get; private set; }

        public bool Add(long fromMs, long toMs)
        {
            Found = true;
            return false;
        }
    }

    private struct CountSink(Timeframe timeframe) : IIntervalSink
    {
        public long Count { get; private set; }

        public bool Add(long fromMs, long toMs)
        {
            // Both ends are aligned, so a fixed length divides exactly.
            Count += timeframe.IsFixedLength ? (toMs - fromMs) / timeframe.NominalLengthMs : timeframe.CountBars(fromMs, toMs);
            return true;
        }
    }

    private readonly struct ListSink(List<TimeRange> intervals) : IIntervalSink
    {
        public List<TimeRange> Intervals { get; } = intervals;

        public bool Add(long fromMs, long toMs)
        {
            Intervals.Add(new TimeRange(fromMs, toMs));
            return true;
        }
    }
}
