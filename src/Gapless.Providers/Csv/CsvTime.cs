using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Gapless.Core.Model;

namespace Gapless.Providers.Csv;

/// <summary>
/// Reads the time column of a generic CSV as a UTC instant (epoch ms). Accepted, unless a custom format is given:
/// <list type="bullet">
/// <item>ISO-8601 with a zone: <c>2024-01-02T09:30:00Z</c>, <c>2024-01-02T09:30Z</c>, <c>2024-01-02T09:30:00.250Z</c>,
/// <c>2024-01-02T10:30:00+01:00</c> (also <c>+0100</c>, <c>+01</c>); a space may replace the <c>T</c>. Up to 7 fraction
/// digits; those past the millisecond must be zero. A time without <c>Z</c> or an offset is refused: it could be any
/// zone.</item>
/// <item>A date alone, <c>2024-01-02</c>: midnight UTC (daily bars).</item>
/// <item>A Unix epoch integer in seconds (below 10^11), milliseconds (below 10^14) or microseconds; the unit is
/// decided by the file's first row and must not change within the file.</item>
/// </list>
/// With a custom format (a .NET custom date and time format string), every value must match it exactly
/// (invariant culture); it is UTC unless the format carries an offset. Not thread-safe: remembers the epoch unit.
/// </summary>
internal sealed class CsvTime(string? customFormat)
{
    private const long TicksPerMs = TimeSpan.TicksPerMillisecond;
    private const long SecondsLimit = 100_000_000_000; // 10^11 s is the year 5138
    private const long MillisecondsLimit = 100_000_000_000_000; // 10^14 ms likewise

    private EpochUnit _unit;

    private enum EpochUnit
    {
        Unknown,
        Seconds,
        Milliseconds,
        Microseconds,
    }

    public bool TryParse(ReadOnlySpan<byte> text, out long epochMs, out string problem)
    {
        if (customFormat is not null)
        {
            return TryCustom(text, out epochMs, out problem);
        }

        if (text.Length > 0 && char.IsAsciiDigit((char)text[0]) && text.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0)
        {
            return TryEpoch(text, out epochMs, out problem);
        }

        return TryIso(text, out epochMs, out problem);
    }

    private bool TryEpoch(ReadOnlySpan<byte> text, out long epochMs, out string problem)
    {
        epochMs = 0;
        if (!Utf8Parser.TryParse(text, out long value, out var used) || used != text.Length)
        {
            problem = $"time '{Show(text)}' is too large for a Unix time";
            return false;
        }

        var unit = value < SecondsLimit ? EpochUnit.Seconds : value < MillisecondsLimit ? EpochUnit.Milliseconds : EpochUnit.Microseconds;
        if (_unit == EpochUnit.Unknown)
        {
            _unit = unit;
        }
        else if (unit != _unit)
        {
            problem = $"time {value} looks like Unix {Name(unit)}, but the file's first row is in {Name(_unit)}";
            return false;
        }

        switch (unit)
        {
            case EpochUnit.Seconds:
                epochMs = value * 1000;
                break;
            case EpochUnit.Milliseconds:
                epochMs = value;
                break;
            default:
                if (value % 1000 != 0)
                {
                    problem = $"time {value} (Unix microseconds) is not a whole millisecond";
                    return false;
                }

                epochMs = value / 1000;
                break;
        }

        problem = string.Empty;
        return true;
    }

    private static string Name(EpochUnit unit) => unit switch
    {
        EpochUnit.Seconds => "seconds",
        EpochUnit.Milliseconds => "milliseconds",
        _ => "microseconds",
    };

    /// <summary>YYYY-MM-DD[(T| )HH:MM[:SS[.f…]](Z|±HH[:MM]|±HHMM)], parsed by hand: exact, and the rules are these and no others.</summary>
    private static bool TryIso(ReadOnlySpan<byte> s, out long epochMs, out string problem)
    {
        epochMs = 0;
        problem = $"time '{Show(s)}' is not a time; use ISO-8601 with a zone (2024-01-02T09:30:00Z, 2024-01-02T10:30:00+01:00), a date (2024-01-02) or Unix seconds/milliseconds, or give a time format";
        if (s.Length < 10 || s[4] != '-' || s[7] != '-'
            || !Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        if (s.Length == 10)
        {
            epochMs = UtcTime.ToEpochMs(new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero));
            problem = string.Empty;
            return true;
        }

        if (s.Length < 16 || s[10] is not ((byte)'T' or (byte)'t' or (byte)' ') || s[13] != ':'
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || hour > 23 || minute > 59)
        {
            return false;
        }

        var i = 16;
        var second = 0;
        long fractionTicks = 0;
        if (i < s.Length && s[i] == ':')
        {
            if (!Digits(s, i + 1, 2, out second) || second > 59)
            {
                return false;
            }

            i += 3;
            if (i < s.Length && s[i] is (byte)'.' or (byte)',')
            {
                var start = ++i;
                var weight = TimeSpan.TicksPerSecond;
                while (i < s.Length && char.IsAsciiDigit((char)s[i]))
                {
                    if (i - start == 7)
                    {
                        return false;
                    }

                    weight /= 10;
                    fractionTicks += (s[i] - '0') * weight;
                    i++;
                }

                if (i == start)
                {
                    return false;
                }
            }
        }

        TimeSpan offset;
        var zone = s[i..];
        if (zone.Length == 0)
        {
            problem = $"time '{Show(s)}' has no zone; add Z (UTC) or an offset such as +01:00, or give a time format (read as UTC)";
            return false;
        }

        if (zone is [(byte)'Z' or (byte)'z'])
        {
            offset = TimeSpan.Zero;
        }
        else if (!TryOffset(zone, out offset))
        {
            return false;
        }

        if (fractionTicks % TicksPerMs != 0)
        {
            problem = $"time '{Show(s)}' has digits past the millisecond";
            return false;
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(fractionTicks);
        var utcTicks = local.Ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return false; // the first or last hours of the calendar, shifted out of it: not a bar time
        }

        epochMs = UtcTime.ToEpochMs(new DateTimeOffset(local, offset));
        problem = string.Empty;
        return true;
    }

    private static bool TryOffset(ReadOnlySpan<byte> zone, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (zone.Length < 3 || zone[0] is not ((byte)'+' or (byte)'-') || !Digits(zone, 1, 2, out var hours))
        {
            return false;
        }

        var minutes = 0;
        var ok = zone.Length switch
        {
            3 => true,
            5 => Digits(zone, 3, 2, out minutes),
            6 => zone[3] == ':' && Digits(zone, 4, 2, out minutes),
            _ => false,
        };
        if (!ok || hours > 14 || minutes > 59)
        {
            return false;
        }

        offset = new TimeSpan(hours, minutes, 0);
        if (zone[0] == '-')
        {
            offset = -offset;
        }

        return true;
    }

    private bool TryCustom(ReadOnlySpan<byte> text, out long epochMs, out string problem)
    {
        epochMs = 0;
        Span<char> chars = stackalloc char[128];
        if (text.Length > chars.Length || !Encoding.UTF8.TryGetChars(text, chars, out var n)
            || !DateTimeOffset.TryParseExact(chars[..n], customFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            problem = $"time '{Show(text)}' does not match the time format '{customFormat}'";
            return false;
        }

        if (instant.UtcTicks % TicksPerMs != 0)
        {
            problem = $"time '{Show(text)}' has digits past the millisecond";
            return false;
        }

        epochMs = UtcTime.ToEpochMs(instant);
        problem = string.Empty;
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            var d = (uint)(s[i] - '0');
            if (d > 9)
            {
                return false;
            }

            value = (value * 10) + (int)d;
        }

        return true;
    }

    internal static string Show(ReadOnlySpan<byte> text)
        => text.Length <= 64 ? Encoding.UTF8.GetString(text) : Encoding.UTF8.GetString(text[..64]) + "…";
}
