using Gapless.Core.Calendars;
using Gapless.Core.Model;
using Gapless.Core.Ports;

namespace Gapless.Core.Sync;

/// <summary>
/// Where final data ends: bars opening before the horizon are closed and the vendor's values for them are final, so
/// they may be fetched and marked covered; nothing at or after it is. Usually <c>now − FinalizationDelay</c> floored to
/// a bar, and for daily bars under a market calendar never inside a session still open; for vendors that publish a
/// session's bars only after it closes (<see cref="ProviderCapabilities.FinalizesAfterSessionClose"/>),
/// the horizon also stops at the start of the first session whose close is less than the delay ago.
/// </summary>
public static class FinalizationHorizon
{
    /// <summary>The horizon (epoch ms, aligned to <paramref name="timeframe"/>).</summary>
    public static long Of(DateTimeOffset now, Timeframe timeframe, ProviderCapabilities capabilities, ITradingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(timeframe);
        ArgumentNullException.ThrowIfNull(capabilities);
        ArgumentNullException.ThrowIfNull(calendar);
        var finalMs = UtcTime.ToEpochMs(now - capabilities.FinalizationDelay);
        var horizon = timeframe.Floor(finalMs);
        if (timeframe.NominalLengthMs >= 86_400_000L && calendar.Name != "24/7")
        {
            // A daily bar stands for its trading date's session, which can run past the bar's UTC close (the
            // extended session ends at 01:00 UTC in winter): not final while that session is still open.
            foreach (var session in calendar.Sessions(new TimeRange(finalMs - (2 * 86_400_000L), finalMs + 1)))
            {
                if (session.ToMs > finalMs)
                {
                    horizon = Math.Min(horizon, timeframe.Floor(session.FromMs));
                }
            }
        }

        if (!capabilities.FinalizesAfterSessionClose)
        {
            return horizon;
        }

        // A session that closed after now − delay (or is still open) is not published yet: stop at its start.
        var nowMs = UtcTime.ToEpochMs(now);
        var lookBack = new TimeRange(Math.Min(finalMs, nowMs) - (7 * 86_400_000L), nowMs);
        foreach (var session in calendar.Sessions(lookBack))
        {
            if (session.ToMs > finalMs || session.ToMs == nowMs)
            {
                return Math.Min(horizon, timeframe.Floor(session.FromMs));
            }
        }

        return horizon;
    }
}
