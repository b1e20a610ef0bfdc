using Gapless.Core.Errors;
using NodaTime;
using NodaTime.Text;

namespace Gapless.Core.Calendars;

/// <summary>What an exchange does on a listed date.</summary>
internal enum DayKind
{
    /// <summary>No session at all.</summary>
    Closed,

    /// <summary>The session ends early.</summary>
    EarlyClose,

    /// <summary>A regular full session; lets a user file cancel a built-in entry.</summary>
    Open,
}

/// <summary>One line of a holidays file. <see cref="Source"/> and <see cref="Line"/> say where it came from.</summary>
internal sealed record HolidayEntry(
    LocalDate Date,
    DayKind Kind,
    LocalTime? Close,
    LocalTime? ExtendedClose,
    string Note,
    string Source,
    int Line)
{
    public string Where => $"{Source}:{Line}";
}

/// <summary>
/// Parses the holidays format: <c>date,kind,close,extended_close,note</c>, one day a line, <c>#</c> comments and
/// blank lines ignored, an optional <c>date,kind,...</c> header. Errors are one line naming the source and line.
/// </summary>
internal static class HolidayFile
{
    private static readonly LocalDatePattern DatePattern = LocalDatePattern.Iso;
    private static readonly LocalTimePattern TimePattern = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    public const string Format = "date,kind[,close[,extended_close[,note]]] with kind closed, early_close or open";

    public static IReadOnlyList<HolidayEntry> Parse(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sourceName);
        var entries = new List<HolidayEntry>();
        var seen = new Dictionary<LocalDate, int>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } raw)
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var fields = line.Split(',', 5);
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = fields[i].Trim();
            }

            if (entries.Count == 0 && string.Equals(fields[0], "date", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var entry = ParseLine(fields, sourceName, lineNumber);
            if (seen.TryGetValue(entry.Date, out var firstLine))
            {
                throw Error(sourceName, lineNumber, $"{Iso(entry.Date)} is already listed on line {firstLine}");
            }

            seen.Add(entry.Date, lineNumber);
            entries.Add(entry);
        }

        return entries;
    }

    internal static string Iso(LocalDate date) => DatePattern.Format(date);

    internal static string Hhmm(LocalTime time) => TimePattern.Format(time);

    internal static InvalidRequestException Error(string source, int line, string message)
        => new($"{source}:{line}: {message}");

    private static HolidayEntry ParseLine(string[] fields, string source, int line)
    {
        if (fields.Length < 2)
        {
            throw Error(source, line, $"expected {Format}");
        }

        var date = DatePattern.Parse(fields[0]);
        if (!date.Success)
        {
            throw Error(source, line, $"'{fields[0]}' is not a date (expected yyyy-MM-dd)");
        }

        var kind = fields[1].ToUpperInvariant() switch
        {
            "CLOSED" => DayKind.Closed,
            "EARLY_CLOSE" => DayKind.EarlyClose,
            "OPEN" => DayKind.Open,
            _ => throw Error(source, line, $"unknown kind '{fields[1]}' (expected closed, early_close or open)"),
        };

        var close = ParseTime(fields, 2, "close", source, line);
        var extendedClose = ParseTime(fields, 3, "extended_close", source, line);
        var note = fields.Length > 4 ? fields[4] : string.Empty;
        var weekday = date.Value.DayOfWeek;
        if (kind == DayKind.EarlyClose)
        {
            if (close is null)
            {
                throw Error(source, line, $"early_close needs a close time (HH:mm), as in {Iso(date.Value)},early_close,13:00");
            }

            if (extendedClose is { } ext && ext < close.Value)
            {
                throw Error(source, line, $"extended_close {Hhmm(ext)} is before close {Hhmm(close.Value)}");
            }
        }
        else if (close is not null || extendedClose is not null)
        {
            throw Error(source, line, $"a close time is only allowed with early_close, not with {fields[1]}");
        }

        if (kind != DayKind.Closed && weekday is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday)
        {
            throw Error(source, line, $"{Iso(date.Value)} is a {weekday}; only weekdays have sessions");
        }

        return new HolidayEntry(date.Value, kind, close, extendedClose, note, source, line);
    }

    private static LocalTime? ParseTime(string[] fields, int index, string name, string source, int line)
    {
        if (fields.Length <= index || fields[index].Length == 0)
        {
            return null;
        }

        var time = TimePattern.Parse(fields[index]);
        return time.Success
            ? time.Value
            : throw Error(source, line, $"{name} '{fields[index]}' is not a time of day (expected HH:mm)");
    }
}
