using Gapless.Core.Calendars;
using Gapless.Core.Model;
using Gapless.Core.Ports;

namespace Gapless.Core.Planning;

/// <summary>
/// Cuts missing ranges into vendor requests: each chunk is bar-aligned and holds at most the provider's
/// bars-per-request (and time span, where capped). A missing range of n bars becomes ceil(n / max) chunks, the
/// fewest possible without fetching a bar twice: separate missing ranges are never merged, because the covered
/// bars between them would be fetched again. Under a market calendar (XNYS) a chunk holds up to that many
/// <em>expected</em> bars and runs through the closed hours between them, so a 10,000-bar page spans two trading weeks
/// of 1m bars rather than one calendar week.
/// </summary>
public static class ChunkPlanner
{
    /// <param name="missing">The ranges to fetch.</param>
    /// <param name="timeframe">The series' timeframe.</param>
    /// <param name="capabilities">The provider's limits.</param>
    /// <param name="limit">Stop after this many chunks (the earliest); all when null.</param>
    /// <param name="calendar">The vendor's calendar; every bar slot counts (24/7) when null.</param>
    public static IReadOnlyList<TimeRange> Plan(RangeSet missing, Timeframe timeframe, ProviderCapabilities capabilities, int? limit = null, ITradingCalendar? calendar = null)
    {
        ArgumentNullException.ThrowIfNull(missing);
        ArgumentNullException.ThrowIfNull(timeframe);
        var maxBars = MaxBarsPerChunk(timeframe, capabilities);
        var maxSpanMs = MaxSpanMs(timeframe, capabilities);
        var counted = IsEveryBarExpected(calendar) ? null : calendar;
        var chunks = new List<TimeRange>();
        foreach (var range in missing)
        {
            var aligned = timeframe.AlignOutward(range);
            var from = aligned.FromMs;
            while (from < aligned.ToMs)
            {
                if (chunks.Count == limit)
                {
                    return chunks;
                }

                var to = counted is null
                    ? Math.Min(timeframe.Add(from, maxBars), aligned.ToMs)
                    : EndOfExpected(counted, timeframe, from, Math.Min(aligned.ToMs, maxSpanMs is { } span ? timeframe.Floor(from + span) : long.MaxValue), maxBars);
                chunks.Add(new TimeRange(from, to));
                from = to;
            }
        }

        return chunks;
    }

    /// <summary>How many chunks <see cref="Plan"/> makes of <paramref name="missing"/>; without making them under 24/7.</summary>
    public static long Count(RangeSet missing, Timeframe timeframe, ProviderCapabilities capabilities, ITradingCalendar? calendar = null)
    {
        ArgumentNullException.ThrowIfNull(missing);
        ArgumentNullException.ThrowIfNull(timeframe);
        if (!IsEveryBarExpected(calendar))
        {
            return Plan(missing, timeframe, capabilities, calendar: calendar).Count;
        }

        var maxBars = MaxBarsPerChunk(timeframe, capabilities);
        return missing.Sum(r => (timeframe.CountBars(timeframe.AlignOutward(r)) + maxBars - 1) / maxBars);
    }

    /// <summary>
    /// The chunks <see cref="Plan"/> makes of <paramref name="free"/> that start inside <paramref name="wanted"/>: with
    /// <paramref name="free"/> reaching past the end of <paramref name="wanted"/>, the last chunk runs on into it (up to
    /// a full request) instead of stopping short.
    /// </summary>
    public static IReadOnlyList<TimeRange> PlanStartingIn(
        RangeSet free, RangeSet wanted, Timeframe timeframe, ProviderCapabilities capabilities, int? limit = null, ITradingCalendar? calendar = null)
    {
        ArgumentNullException.ThrowIfNull(free);
        ArgumentNullException.ThrowIfNull(wanted);
        var chunks = Plan(free, timeframe, capabilities, limit, calendar).Where(c => wanted.Contains(c.FromMs)).ToList();
        return limit is { } max && chunks.Count > max ? chunks[..max] : chunks;
    }

    /// <summary>
    /// The stretch after <paramref name="range"/> that its last chunk may run into: one full request's worth, cut at
    /// <paramref name="horizonMs"/>.
    /// </summary>
    public static TimeRange Tail(TimeRange range, long horizonMs, Timeframe timeframe, ProviderCapabilities capabilities)
    {
        ArgumentNullException.ThrowIfNull(timeframe);
        var to = Math.Min(horizonMs, timeframe.Add(range.ToMs, MaxBarsPerChunk(timeframe, capabilities)));
        return to > range.ToMs ? new TimeRange(range.ToMs, to) : new TimeRange(range.ToMs, range.ToMs);
    }

    private static long MaxBarsPerChunk(Timeframe timeframe, ProviderCapabilities capabilities)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        var maxBars = (long)capabilities.MaxBarsPerRequest;
        if (MaxSpanMs(timeframe, capabilities) is { } span)
        {
            maxBars = Math.Min(maxBars, Math.Max(1, span / timeframe.NominalLengthMs));
        }

        return maxBars;
    }

    private static long? MaxSpanMs(Timeframe timeframe, ProviderCapabilities capabilities)
        => capabilities.MaxSpanFor(timeframe) is { } span && timeframe.IsFixedLength
            ? Math.Max(timeframe.NominalLengthMs, (long)span.TotalMilliseconds)
            : null;

    private static bool IsEveryBarExpected(ITradingCalendar? calendar) => calendar is null || calendar.Name == "24/7";

    /// <summary>
    /// The end of the chunk starting at <paramref name="from"/>: the open of the expected bar after the first
    /// <paramref name="maxBars"/> expected ones (so the closed hours after the last one ride along), or
    /// <paramref name="limit"/> when fewer fit before it. Binary search over bar-aligned ends: each probe counts
    /// sessions, not bars.
    /// </summary>
    private static long EndOfExpected(ITradingCalendar calendar, Timeframe timeframe, long from, long limit, long maxBars)
    {
        limit = Math.Max(limit, timeframe.Add(from, 1));
        if (calendar.CountExpected(timeframe, new TimeRange(from, limit)) <= maxBars)
        {
            return limit;
        }

        // The smallest aligned end whose range holds maxBars + 1 expected bars; the chunk stops one bar before it.
        long low = 1, high = timeframe.CountBars(from, limit);
        while (low < high)
        {
            var mid = low + ((high - low) / 2);
            if (calendar.CountExpected(timeframe, new TimeRange(from, timeframe.Add(from, mid))) > maxBars)
            {
                high = mid;
            }
            else
            {
                low = mid + 1;
            }
        }

        return timeframe.Add(from, low - 1);
    }
}
