using Gapless.Core.Model;

namespace Gapless.Core.Calendars;

/// <summary>
/// When a market trades, and therefore which bars a vendor should have. A bar of timeframe T opening at t is
/// <em>expected</em> when:
/// <list type="bullet">
/// <item>intraday (fixed length under one day): the bar's span <c>[t, t + T)</c> overlaps a session;</item>
/// <item>daily and longer: the bar's UTC span holds the <em>trading date</em> of at least one session. Gapless stamps
/// a daily bar at 00:00 UTC of its trading date (vendors stamping New York midnight are normalised in their parser),
/// so a 1d bar at 2024-07-03T00:00Z stands for the NYSE session of July 3.</item>
/// </list>
/// A misaligned open time is never expected. All instants are Unix epoch milliseconds, UTC; ranges are half-open.
/// Get one by name from <see cref="TradingCalendars"/>; <c>24/7</c> is a single endless session, so every aligned bar
/// is expected there. Immutable and thread-safe. Queries may come in any order.
/// </summary>
public interface ITradingCalendar
{
    /// <summary>The name users type: <c>24/7</c>, <c>XNYS</c>, <c>XNYS-extended</c>.</summary>
    string Name { get; }

    /// <summary>The sessions (UTC, half-open) that overlap <paramref name="range"/>, ascending, each cut to it.</summary>
    IEnumerable<TimeRange> Sessions(TimeRange range);

    /// <summary>Whether a bar of <paramref name="timeframe"/> opening at <paramref name="openTimeMs"/> is expected.</summary>
    bool IsExpected(Timeframe timeframe, long openTimeMs);

    /// <summary>
    /// How many expected bars of <paramref name="timeframe"/> open inside <paramref name="range"/>. Cost grows with the
    /// number of sessions in the range, not the number of bars.
    /// </summary>
    long CountExpected(Timeframe timeframe, TimeRange range);

    /// <summary>The open times of the expected bars inside <paramref name="range"/>, ascending.</summary>
    IEnumerable<long> ExpectedOpenTimes(Timeframe timeframe, TimeRange range);
}
