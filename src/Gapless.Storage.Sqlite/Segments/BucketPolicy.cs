using Gapless.Core.Model;

namespace Gapless.Storage.Sqlite.Segments;

/// <summary>
/// Which time bucket (one segment) a bar belongs to, by timeframe: 1m/3m/5m one UTC day, 15m/30m/1h one UTC
/// month, 2h up to 1d one UTC year, 3d/1w/1M one bucket for all time. Sized so a segment holds a few hundred
/// to a few thousand bars: big enough to compress, small enough to rewrite when a backfill lands inside it.
/// </summary>
internal sealed class BucketPolicy
{
    /// <summary>The start of the single all-time bucket.</summary>
    public const long AllTimeStart = long.MinValue;

    private const long Day = 86_400_000;

    private readonly Kind _kind;

    private BucketPolicy(Kind kind) => _kind = kind;

    private enum Kind
    {
        Day,
        Month,
        Year,
        AllTime,
    }

    public static BucketPolicy For(Timeframe timeframe)
    {
        ArgumentNullException.ThrowIfNull(timeframe);
        return timeframe.Code switch
        {
            "1m" or "3m" or "5m" => new(Kind.Day),
            "15m" or "30m" or "1h" => new(Kind.Month),
            "3d" or "1w" or "1M" => new(Kind.AllTime),
            _ => new(Kind.Year),
        };
    }

    /// <summary>The start of the bucket holding <paramref name="instantMs"/>.</summary>
    public long Start(long instantMs)
    {
        switch (_kind)
        {
            case Kind.Day:
                return instantMs - (((instantMs % Day) + Day) % Day);
            case Kind.AllTime:
                return AllTimeStart;
            default:
                var t = UtcTime.ToDateTimeOffset(instantMs);
                var start = _kind == Kind.Month
                    ? new DateTimeOffset(t.Year, t.Month, 1, 0, 0, 0, TimeSpan.Zero)
                    : new DateTimeOffset(t.Year, 1, 1, 0, 0, 0, TimeSpan.Zero);
                return UtcTime.ToEpochMs(start);
        }
    }

    /// <summary>The exclusive end of the bucket starting at <paramref name="bucketStartMs"/>.</summary>
    public long End(long bucketStartMs)
    {
        switch (_kind)
        {
            case Kind.Day:
                return bucketStartMs + Day;
            case Kind.AllTime:
                return long.MaxValue;
            default:
                var t = UtcTime.ToDateTimeOffset(bucketStartMs);
                return UtcTime.ToEpochMs(_kind == Kind.Month ? t.AddMonths(1) : t.AddYears(1));
        }
    }
}
