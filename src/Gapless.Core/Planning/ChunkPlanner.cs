using Gapless.Core.Model;
using Gapless.Core.Ports;

namespace Gapless.Core.Planning;

/// <summary>
/// Cuts missing ranges into vendor requests: each chunk is bar-aligned and holds at most the provider's
/// bars-per-request (and time span, where capped). A missing range of n bars becomes ceil(n / max) chunks, the
/// fewest possible without fetching a bar twice: separate missing ranges are never merged, because the covered
/// bars between them would be fetched again.
/// </summary>
public static class ChunkPlanner
{
    /// <param name="missing">The ranges to fetch.</param>
    /// <param name="timeframe">The series' timeframe.</param>
    /// <param name="capabilities">The provider's limits.</param>
    /// <param name="limit">Stop after this many chunks (the earliest); all when null.</param>
    public static IReadOnlyList<TimeRange> Plan(RangeSet missing, Timeframe timeframe, ProviderCapabilities capabilities, int? limit = null)
    {
        ArgumentNullException.ThrowIfNull(missing);
        ArgumentNullException.ThrowIfNull(timeframe);
        var maxBars = MaxBarsPerChunk(timeframe, capabilities);
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

                var to = Math.Min(timeframe.Add(from, maxBars), aligned.ToMs);
                chunks.Add(new TimeRange(from, to));
                from = to;
            }
        }

        return chunks;
    }

    /// <summary>How many chunks <see cref="Plan"/> makes of <paramref name="missing"/>, without making them.</summary>
    public static long Count(RangeSet missing, Timeframe timeframe, ProviderCapabilities capabilities)
    {
        ArgumentNullException.ThrowIfNull(missing);
        ArgumentNullException.ThrowIfNull(timeframe);
        var maxBars = MaxBarsPerChunk(timeframe, capabilities);
        return missing.Sum(r => (timeframe.CountBars(timeframe.AlignOutward(r)) + maxBars - 1) / maxBars);
    }

    /// <summary>
    /// The chunks <see cref="Plan"/> makes of <paramref name="free"/> that start inside <paramref name="wanted"/>: with
    /// <paramref name="free"/> reaching past the end of <paramref name="wanted"/>, the last chunk runs on into it (up to
    /// a full request) instead of stopping short.
    /// </summary>
    public static IReadOnlyList<TimeRange> PlanStartingIn(RangeSet free, RangeSet wanted, Timeframe timeframe, ProviderCapabilities capabilities, int? limit = null)
    {
        ArgumentNullException.ThrowIfNull(free);
        ArgumentNullException.ThrowIfNull(wanted);
        var chunks = Plan(free, timeframe, capabilities, limit).Where(c => wanted.Contains(c.FromMs)).ToList();
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
        if (capabilities.MaxSpanPerRequest is { } span && timeframe.IsFixedLength)
        {
            maxBars = Math.Min(maxBars, Math.Max(1, (long)span.TotalMilliseconds / timeframe.NominalLengthMs));
        }

        return maxBars;
    }
}
