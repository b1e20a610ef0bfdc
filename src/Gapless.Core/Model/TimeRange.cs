namespace Gapless.Core.Model;

/// <summary>
/// A half-open interval of UTC instants <c>[From, To)</c> in Unix epoch milliseconds.
/// <c>From &lt;= To</c> is checked on construction; an empty range has <c>From == To</c>.
/// Named TimeRange, not Range, so it never collides with <see cref="System.Range"/>.
/// </summary>
public readonly record struct TimeRange : IComparable<TimeRange>
{
    public TimeRange(long fromMs, long toMs)
    {
        if (fromMs > toMs)
        {
            throw new ArgumentException(
                $"from ({UtcTime.ToIso(fromMs)}) must not be after to ({UtcTime.ToIso(toMs)})", nameof(fromMs));
        }

        FromMs = fromMs;
        ToMs = toMs;
    }

    /// <summary>Inclusive start, epoch milliseconds UTC.</summary>
    public long FromMs { get; }

    /// <summary>Exclusive end, epoch milliseconds UTC.</summary>
    public long ToMs { get; }

    public DateTimeOffset From => UtcTime.ToDateTimeOffset(FromMs);

    public DateTimeOffset To => UtcTime.ToDateTimeOffset(ToMs);

    public long LengthMs => ToMs - FromMs;

    public bool IsEmpty => FromMs == ToMs;

    public static TimeRange Of(DateTimeOffset from, DateTimeOffset to) => new(UtcTime.ToEpochMs(from), UtcTime.ToEpochMs(to));

    public bool Contains(long instantMs) => instantMs >= FromMs && instantMs < ToMs;

    public bool Contains(TimeRange other) => other.FromMs >= FromMs && other.ToMs <= ToMs;

    /// <summary>True when the two ranges share at least one instant (so never when either is empty).</summary>
    public bool Overlaps(TimeRange other) => Math.Max(FromMs, other.FromMs) < Math.Min(ToMs, other.ToMs);

    /// <summary>The overlap of two ranges, or an empty range at the nearer edge when they do not overlap.</summary>
    public TimeRange Intersect(TimeRange other)
    {
        var from = Math.Max(FromMs, other.FromMs);
        var to = Math.Min(ToMs, other.ToMs);
        return to > from ? new TimeRange(from, to) : new TimeRange(from, from);
    }

    public int CompareTo(TimeRange other)
    {
        var c = FromMs.CompareTo(other.FromMs);
        return c != 0 ? c : ToMs.CompareTo(other.ToMs);
    }

    public static bool operator <(TimeRange left, TimeRange right) => left.CompareTo(right) < 0;

    public static bool operator <=(TimeRange left, TimeRange right) => left.CompareTo(right) <= 0;

    public static bool operator >(TimeRange left, TimeRange right) => left.CompareTo(right) > 0;

    public static bool operator >=(TimeRange left, TimeRange right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"[{UtcTime.ToIso(FromMs)}, {UtcTime.ToIso(ToMs)})";
}
