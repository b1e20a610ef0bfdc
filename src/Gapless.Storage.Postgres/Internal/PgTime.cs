using System.Globalization;

namespace Gapless.Storage.Postgres.Internal;

/// <summary>
/// Conversions between Gapless instants (epoch milliseconds UTC) and PostgreSQL <c>timestamptz</c>: its binary form
/// (microseconds since 2000-01-01 UTC, what binary COPY carries), <see cref="DateTime"/> (UTC) for parameters, and
/// SQL literals for the few statements that take no parameters (COPY).
/// </summary>
internal static class PgTime
{
    /// <summary>2000-01-01T00:00:00Z in epoch milliseconds: PostgreSQL's timestamp origin.</summary>
    private const long PgEpochMs = 946_684_800_000;

    private static readonly long MinMs = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long MaxMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    public static long ToPgMicros(long epochMs) => checked((epochMs - PgEpochMs) * 1000);

    /// <summary>Floors to the millisecond (a value written outside Gapless may carry microseconds).</summary>
    public static long FromPgMicros(long micros)
    {
        var ms = micros / 1000;
        if (micros % 1000 < 0)
        {
            ms--;
        }

        return ms + PgEpochMs;
    }

    public static DateTime ToDateTime(long epochMs) => DateTime.UnixEpoch.AddTicks(checked(Clamp(epochMs) * TimeSpan.TicksPerMillisecond));

    public static long FromDateTime(DateTime utc) => (utc.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;

    /// <summary>A <c>timestamptz</c> literal for <paramref name="epochMs"/>, clamped to years 1..9999.</summary>
    public static string Literal(long epochMs)
        => "'" + ToDateTime(epochMs).ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) + "+00'::timestamptz";

    private static long Clamp(long epochMs) => Math.Clamp(epochMs, MinMs, MaxMs);
}
