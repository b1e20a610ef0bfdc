using Gapless.Core.Calendars;
using Gapless.Core.Model;

namespace Gapless.Core.Quality;

/// <summary>
/// Measures one series against its calendar: walks the expected bar times and the held ones together, so every
/// expected bar is counted once as held, not fetched (outside coverage) or a vendor hole (inside coverage), and runs
/// of missing bars become gaps. Pure and deterministic; cost is linear in expected plus held bars.
/// </summary>
public static class QualityAnalyzer
{
    /// <summary>How many gaps a report lists per series, unless told otherwise.</summary>
    public const int GapsListed = 5;

    /// <param name="series">The series.</param>
    /// <param name="range">The range to check (aligned outward to the timeframe here).</param>
    /// <param name="horizonMs">Bars opening before this are expected by now.</param>
    /// <param name="calendar">Which bars the market should have.</param>
    /// <param name="coverage">The series' coverage.</param>
    /// <param name="openTimes">Held open times in the range, ascending.</param>
    /// <param name="quarantined">Quarantined bars in the range.</param>
    /// <param name="gapsListed">How many of the largest gaps to list.</param>
    public static SeriesQuality Analyze(
        Series series,
        TimeRange range,
        long horizonMs,
        ITradingCalendar calendar,
        RangeSet coverage,
        ReadOnlySpan<long> openTimes,
        long quarantined,
        int gapsListed = GapsListed)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(coverage);
        var tf = series.Timeframe;
        var aligned = tf.AlignOutward(range);
        var due = new TimeRange(aligned.FromMs, Math.Max(aligned.FromMs, Math.Min(aligned.ToMs, horizonMs)));

        var gaps = new GapCollector(tf);
        long expected = 0, notFetched = 0, holes = 0, outside = 0;
        long? lastExpected = null;
        var i = 0;
        foreach (var slot in calendar.ExpectedOpenTimes(tf, due))
        {
            expected++;
            lastExpected = slot;
            while (i < openTimes.Length && openTimes[i] < slot)
            {
                outside++; // held, but not a bar the calendar expects
                i++;
            }

            if (i < openTimes.Length && openTimes[i] == slot)
            {
                i++;
                gaps.Present();
                continue;
            }

            var kind = coverage.Contains(slot) ? GapKind.VendorHole : GapKind.NotFetched;
            if (kind == GapKind.VendorHole)
            {
                holes++;
            }
            else
            {
                notFetched++;
            }

            gaps.Missing(slot, kind);
        }

        for (; i < openTimes.Length && openTimes[i] < due.ToMs; i++)
        {
            outside++;
        }

        return new SeriesQuality(
            series,
            aligned,
            calendar.Name,
            horizonMs,
            openTimes.Length > 0 ? openTimes[0] : null,
            openTimes.Length > 0 ? openTimes[^1] : null,
            openTimes.Length,
            expected,
            notFetched,
            holes,
            outside,
            quarantined,
            lastExpected,
            gaps.Largest(gapsListed));
    }

    /// <summary>Groups consecutive missing expected bars of one kind into gaps.</summary>
    private sealed class GapCollector(Timeframe timeframe)
    {
        private readonly List<QualityGap> _gaps = [];
        private long _from = -1;
        private long _last;
        private long _bars;
        private GapKind _kind;

        public void Missing(long slot, GapKind kind)
        {
            if (_bars > 0 && kind != _kind)
            {
                Close();
            }

            if (_bars == 0)
            {
                _from = slot;
                _kind = kind;
            }

            _last = slot;
            _bars++;
        }

        public void Present() => Close();

        public IReadOnlyList<QualityGap> Largest(int count)
        {
            Close();
            return [.. _gaps.OrderByDescending(g => g.Bars).ThenBy(g => g.Range.FromMs).Take(count)];
        }

        private void Close()
        {
            if (_bars > 0)
            {
                _gaps.Add(new QualityGap(new TimeRange(_from, timeframe.Add(_last, 1)), _bars, _kind));
            }

            _bars = 0;
        }
    }
}
