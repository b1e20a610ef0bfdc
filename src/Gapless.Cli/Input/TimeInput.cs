using System.Globalization;
using Gapless.Core.Model;

namespace Gapless.Cli;

/// <summary>
/// Reads <c>--from</c>/<c>--to</c>. All times are UTC. A date alone means the whole day: <c>--from 2024-01-01</c>
/// starts at its midnight and <c>--to 2024-01-31</c> ends at the next midnight, so January 1 through 31 inclusive.
/// A time of day may follow (<c>2024-01-01T12:30</c>, <c>2024-01-01T12:30:00Z</c>); <c>--to</c> is then exclusive.
/// </summary>
internal static class TimeInput
{
    private static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss",
    ];

    public static TimeRange ParseRange(string? from, string? to)
    {
        var fromMs = Parse("--from", from, endOfDay: false);
        var toMs = Parse("--to", to, endOfDay: true);
        if (fromMs >= toMs)
        {
            throw new UsageException($"--from ({UtcTime.ToIso(fromMs)}) must be before --to ({UtcTime.ToIso(toMs)})");
        }

        return new TimeRange(fromMs, toMs);
    }

    private static long Parse(string option, string? text, bool endOfDay)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new UsageException($"{option} is required (a UTC date such as 2024-01-31, or 2024-01-31T12:00Z)");
        }

        text = text.Trim();
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var midnight = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return UtcTime.ToEpochMs(endOfDay ? midnight.AddDays(1) : midnight);
        }

        var utc = DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal;
        if (DateTimeOffset.TryParseExact(text.TrimEnd('Z', 'z'), DateTimeFormats, CultureInfo.InvariantCulture, utc, out var instant)
            || (HasOffset(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, utc, out instant)))
        {
            return UtcTime.ToEpochMs(instant);
        }

        throw new UsageException($"{option} '{text}' is not a date; use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]Z (UTC)");
    }

    private static bool HasOffset(string text)
        => text.Length > 10 && text.IndexOf('T', StringComparison.Ordinal) == 10
            && (text[^6] is '+' or '-') && text[^3] == ':';
}
