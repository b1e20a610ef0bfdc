using System.Globalization;
using Gapless.Core.Model;

namespace Gapless.Cli.Output;

/// <summary>Short UTC times for tables people read (JSON keeps full ISO-8601).</summary>
internal static class HumanTime
{
    public static string Instant(long epochMs)
    {
        var t = UtcTime.ToDateTimeOffset(epochMs).UtcDateTime;
        return t.ToString(t.Second == 0 && t.Millisecond == 0 ? "yyyy-MM-dd HH:mm" : "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
    }

    public static string Range(TimeRange range) => $"{Instant(range.FromMs)} → {Instant(range.ToMs)}";
}
