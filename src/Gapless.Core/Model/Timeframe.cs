using System.Diagnostics.CodeAnalysis;

namespace Gapless.Core.Model;

/// <summary>
/// A bar interval from Binance's set (1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M). Bars open on a grid:
/// fixed intervals on multiples of their length since the Unix epoch, weeks on Monday 00:00 UTC, months on the
/// 1st 00:00 UTC. Every method takes and returns epoch milliseconds (UTC). Instances are immutable singletons.
/// </summary>
public sealed class Timeframe : IEquatable<Timeframe>
{
    private const long Minute = 60_000;
    private const long Hour = 60 * Minute;
    private const long Day = 24 * Hour;

    // The Unix epoch was a Thursday; the first Monday is four days later.
    private const long FirstMonday = 4 * Day;

    public static readonly Timeframe M1 = new("1m", Minute);
    public static readonly Timeframe M3 = new("3m", 3 * Minute);
    public static readonly Timeframe M5 = new("5m", 5 * Minute);
    public static readonly Timeframe M15 = new("15m", 15 * Minute);
    public static readonly Timeframe M30 = new("30m", 30 * Minute);
    public static readonly Timeframe H1 = new("1h", Hour);
    public static readonly Timeframe H2 = new("2h", 2 * Hour);
    public static readonly Timeframe H4 = new("4h", 4 * Hour);
    public static readonly Timeframe H6 = new("6h", 6 * Hour);
    public static readonly Timeframe H8 = new("8h", 8 * Hour);
    public static readonly Timeframe H12 = new("12h", 12 * Hour);
    public static readonly Timeframe D1 = new("1d", Day);
    public static readonly Timeframe D3 = new("3d", 3 * Day);
    public static readonly Timeframe W1 = new("1w", 7 * Day, FirstMonday);
    public static readonly Timeframe Month1 = new("1M", 0);

    /// <summary>Every supported timeframe, shortest first.</summary>
    public static IReadOnlyList<Timeframe> All { get; } = [M1, M3, M5, M15, M30, H1, H2, H4, H6, H8, H12, D1, D3, W1, Month1];

    private readonly long _lengthMs;
    private readonly long _originMs;

    private Timeframe(string code, long lengthMs, long originMs = 0)
    {
        Code = code;
        _lengthMs = lengthMs;
        _originMs = originMs;
    }

    /// <summary>The code as Binance writes it: <c>1m</c>, <c>1h</c>, <c>1M</c> (month; case matters).</summary>
    public string Code { get; }

    /// <summary>False only for <c>1M</c>, whose bars last 28 to 31 days.</summary>
    public bool IsFixedLength => _lengthMs > 0;

    /// <summary>The bar length in milliseconds; for <c>1M</c> the length of a 31-day month, an upper bound.</summary>
    public long NominalLengthMs => IsFixedLength ? _lengthMs : 31 * Day;

    public static bool TryParse(string? code, [NotNullWhen(true)] out Timeframe? timeframe)
    {
        timeframe = All.FirstOrDefault(t => string.Equals(t.Code, code, StringComparison.Ordinal));
        return timeframe is not null;
    }

    public static Timeframe Parse(string code)
        => TryParse(code, out var tf)
            ? tf
            : throw new FormatException($"unknown timeframe '{code}'; use one of {string.Join(' ', All.Select(t => t.Code))}");

    /// <summary>The open time of the bar holding <paramref name="instantMs"/>.</summary>
    public long Floor(long instantMs)
    {
        if (IsFixedLength)
        {
            var offset = instantMs - _originMs;
            var q = offset / _lengthMs;
            if (offset % _lengthMs < 0)
            {
                q--;
            }

            return _originMs + (q * _lengthMs);
        }

        var t = UtcTime.ToDateTimeOffset(instantMs);
        return UtcTime.ToEpochMs(new DateTimeOffset(t.Year, t.Month, 1, 0, 0, 0, TimeSpan.Zero));
    }

    /// <summary>The first bar open at or after <paramref name="instantMs"/>.</summary>
    public long Ceiling(long instantMs)
    {
        var floor = Floor(instantMs);
        return floor == instantMs ? floor : Add(floor, 1);
    }

    public bool IsAligned(long instantMs) => Floor(instantMs) == instantMs;

    /// <summary>The open time <paramref name="bars"/> bars after the aligned <paramref name="openMs"/>.</summary>
    public long Add(long openMs, long bars)
    {
        if (IsFixedLength)
        {
            return openMs + (bars * _lengthMs);
        }

        return UtcTime.ToEpochMs(UtcTime.ToDateTimeOffset(openMs).AddMonths(checked((int)bars)));
    }

    /// <summary>The close of the bar opening at <paramref name="openMs"/> (exclusive: the next bar's open).</summary>
    public long CloseOf(long openMs) => Add(openMs, 1);

    /// <summary>How many bars open inside <c>[from, to)</c>.</summary>
    public long CountBars(long fromMs, long toMs)
    {
        if (toMs <= fromMs)
        {
            return 0;
        }

        var first = Ceiling(fromMs);
        var end = Ceiling(toMs);
        if (end <= first)
        {
            return 0;
        }

        if (IsFixedLength)
        {
            return (end - first) / _lengthMs;
        }

        var a = UtcTime.ToDateTimeOffset(first);
        var b = UtcTime.ToDateTimeOffset(end);
        return ((b.Year - a.Year) * 12) + b.Month - a.Month;
    }

    public long CountBars(TimeRange range) => CountBars(range.FromMs, range.ToMs);

    /// <summary>The smallest bar-aligned range holding <paramref name="range"/>.</summary>
    public TimeRange AlignOutward(TimeRange range) => new(Floor(range.FromMs), Ceiling(range.ToMs));

    /// <summary>The largest bar-aligned range inside <paramref name="range"/> (empty if no whole bar fits).</summary>
    public TimeRange AlignInward(TimeRange range)
    {
        var from = Ceiling(range.FromMs);
        var to = Floor(range.ToMs);
        return to > from ? new TimeRange(from, to) : new TimeRange(from, from);
    }

    public bool Equals(Timeframe? other) => other is not null && Code == other.Code;

    public override bool Equals(object? obj) => Equals(obj as Timeframe);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Code);

    public override string ToString() => Code;

    public static bool operator ==(Timeframe? left, Timeframe? right) => Equals(left, right);

    public static bool operator !=(Timeframe? left, Timeframe? right) => !Equals(left, right);
}
