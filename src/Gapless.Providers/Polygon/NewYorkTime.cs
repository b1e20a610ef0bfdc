using NodaTime;

namespace Gapless.Providers.Polygon;

/// <summary>
/// New York dates and midnights (tzdb <c>America/New_York</c>, NodaTime's bundled data, so DST rules of any year are
/// right without the host's time-zone files). Polygon stamps daily, weekly and monthly aggregates at 00:00 New York
/// time; Gapless stamps a daily bar at 00:00 UTC of its trading date. Epoch milliseconds throughout.
/// </summary>
internal static class NewYorkTime
{
    private static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["America/New_York"];

    /// <summary>The New York calendar date holding the instant.</summary>
    public static LocalDate DateOf(long epochMs) => Instant.FromUnixTimeMilliseconds(epochMs).InZone(Zone).Date;

    /// <summary>True when the instant is 00:00:00.000 New York time.</summary>
    public static bool IsMidnight(long epochMs) => Instant.FromUnixTimeMilliseconds(epochMs).InZone(Zone).TimeOfDay == LocalTime.Midnight;

    /// <summary>00:00 New York time on <paramref name="date"/> (New York never skips midnight: DST changes at 02:00).</summary>
    public static long MidnightOf(LocalDate date) => date.AtStartOfDayInZone(Zone).ToInstant().ToUnixTimeMilliseconds();

    /// <summary>The UTC calendar date holding the instant.</summary>
    public static LocalDate UtcDateOf(long epochMs) => Instant.FromUnixTimeMilliseconds(epochMs).InUtc().Date;

    /// <summary>True when the instant is 00:00:00.000 UTC.</summary>
    public static bool IsUtcMidnight(long epochMs) => epochMs % 86_400_000 == 0;

    /// <summary>00:00 UTC on <paramref name="date"/>.</summary>
    public static long UtcMidnightOf(LocalDate date) => date.AtMidnight().InUtc().ToInstant().ToUnixTimeMilliseconds();
}
