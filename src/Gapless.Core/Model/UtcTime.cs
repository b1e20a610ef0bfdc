using System.Globalization;

namespace Gapless.Core.Model;

/// <summary>
/// Conversions between the core's instant representation (Unix epoch milliseconds, UTC) and
/// <see cref="DateTimeOffset"/>. Every instant in Gapless is UTC; calendars own local time.
/// </summary>
public static class UtcTime
{
    public static DateTimeOffset ToDateTimeOffset(long epochMs) => DateTimeOffset.FromUnixTimeMilliseconds(epochMs);

    public static long ToEpochMs(DateTimeOffset instant) => instant.ToUnixTimeMilliseconds();

    /// <summary>ISO-8601 UTC with a trailing Z, milliseconds only when not zero: <c>2024-01-01T00:00:00Z</c>.</summary>
    public static string ToIso(long epochMs)
    {
        var t = ToDateTimeOffset(epochMs).UtcDateTime;
        return t.Millisecond == 0
            ? t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : t.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }
}
