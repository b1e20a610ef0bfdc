namespace Gapless.Core.Calendars;

/// <summary>One session: its trading date (00:00 UTC of that date) and its UTC open and close, epoch milliseconds.</summary>
internal readonly record struct Session(long DateMs, long OpenMs, long CloseMs);

/// <summary>
/// The sessions of one calendar year, by trading date, as three parallel sorted arrays. Built once per year and
/// calendar, then shared; never changes.
/// </summary>
internal sealed class SessionYear
{
    private readonly long[] _dateMs;
    private readonly long[] _openMs;
    private readonly long[] _closeMs;

    public SessionYear(List<Session> sessions)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        _dateMs = new long[sessions.Count];
        _openMs = new long[sessions.Count];
        _closeMs = new long[sessions.Count];
        for (var i = 0; i < sessions.Count; i++)
        {
            (_dateMs[i], _openMs[i], _closeMs[i]) = sessions[i];
        }
    }

    public int Count => _dateMs.Length;

    public Session this[int index] => new(_dateMs[index], _openMs[index], _closeMs[index]);

    public long DateMs(int index) => _dateMs[index];

    /// <summary>Trading dates (00:00 UTC), ascending; parallel to <see cref="Opens"/> and <see cref="Closes"/>.</summary>
    public ReadOnlySpan<long> Dates => _dateMs;

    public ReadOnlySpan<long> Opens => _openMs;

    public ReadOnlySpan<long> Closes => _closeMs;

    /// <summary>The index of the first session whose trading date is at or after <paramref name="dateMs"/>.</summary>
    public int FirstOnOrAfter(long dateMs)
    {
        var index = Array.BinarySearch(_dateMs, dateMs);
        return index >= 0 ? index : ~index;
    }
}
