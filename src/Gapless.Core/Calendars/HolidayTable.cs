using System.Diagnostics.CodeAnalysis;
using NodaTime;

namespace Gapless.Core.Calendars;

/// <summary>
/// Holiday entries by date. Built from files in order: a later entry for a date replaces an earlier one, which is how
/// a user file overrides the built-in data. Immutable.
/// </summary>
internal sealed class HolidayTable
{
    private readonly Dictionary<LocalDate, HolidayEntry> _byDate = [];

    public HolidayTable(IEnumerable<HolidayEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            _byDate[entry.Date] = entry;
        }

        Entries = [.. _byDate.Values.OrderBy(e => e.Date)];
    }

    /// <summary>Every entry in effect, by date.</summary>
    public IReadOnlyList<HolidayEntry> Entries { get; }

    public bool TryGet(LocalDate date, [MaybeNullWhen(false)] out HolidayEntry entry) => _byDate.TryGetValue(date, out entry);

    /// <summary>
    /// The run of consecutive years holding <paramref name="anchorYear"/> in which at least one date is listed: the
    /// years the data speaks for. A stray entry far from the run (one closure in 2035) does not stretch it.
    /// </summary>
    public (int First, int Last) CoveredYears(int anchorYear)
    {
        var years = _byDate.Keys.Select(d => d.Year).ToHashSet();
        if (!years.Contains(anchorYear))
        {
            return (anchorYear, anchorYear - 1);
        }

        var first = anchorYear;
        while (years.Contains(first - 1))
        {
            first--;
        }

        var last = anchorYear;
        while (years.Contains(last + 1))
        {
            last++;
        }

        return (first, last);
    }
}
