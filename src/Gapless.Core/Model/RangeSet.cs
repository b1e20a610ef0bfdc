using System.Collections;

namespace Gapless.Core.Model;

/// <summary>
/// An immutable set of UTC instants held as disjoint, sorted, merged half-open ranges.
/// Adjacent ranges merge (<c>[a,b) ∪ [b,c) = [a,c)</c>) and empty ranges vanish, so two sets holding the
/// same instants are always equal element by element. All operations are linear in the number of ranges.
/// Thread-safe: instances never change.
/// </summary>
public sealed class RangeSet : IReadOnlyList<TimeRange>, IEquatable<RangeSet>
{
    private readonly TimeRange[] _ranges;

    public static readonly RangeSet Empty = new([]);

    private RangeSet(TimeRange[] normalized) => _ranges = normalized;

    public static RangeSet Of(TimeRange range) => range.IsEmpty ? Empty : new RangeSet([range]);

    /// <summary>Builds a set from ranges in any order, overlapping or not.</summary>
    public static RangeSet Of(IEnumerable<TimeRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var sorted = ranges.Where(r => !r.IsEmpty).ToArray();
        Array.Sort(sorted);
        return new RangeSet(MergeSorted(sorted));
    }

    public int Count => _ranges.Length;

    public bool IsEmpty => _ranges.Length == 0;

    public TimeRange this[int index] => _ranges[index];

    /// <summary>Total milliseconds held.</summary>
    public long TotalLengthMs
    {
        get
        {
            long total = 0;
            foreach (var r in _ranges)
            {
                total += r.LengthMs;
            }

            return total;
        }
    }

    /// <summary>The smallest range holding every instant of the set, or null when empty.</summary>
    public TimeRange? Span => IsEmpty ? null : new TimeRange(_ranges[0].FromMs, _ranges[^1].ToMs);

    public bool Contains(long instantMs)
    {
        var i = IndexOfLastStartingAtOrBefore(instantMs);
        return i >= 0 && _ranges[i].Contains(instantMs);
    }

    /// <summary>True when every instant of <paramref name="range"/> is in the set.</summary>
    public bool Contains(TimeRange range)
    {
        if (range.IsEmpty)
        {
            return true;
        }

        var i = IndexOfLastStartingAtOrBefore(range.FromMs);
        return i >= 0 && _ranges[i].Contains(range);
    }

    public RangeSet Union(TimeRange range) => Union(Of(range));

    public RangeSet Union(RangeSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.IsEmpty)
        {
            return this;
        }

        if (IsEmpty)
        {
            return other;
        }

        // Merge two sorted arrays, then coalesce.
        var merged = new TimeRange[_ranges.Length + other._ranges.Length];
        int i = 0, j = 0, k = 0;
        while (i < _ranges.Length && j < other._ranges.Length)
        {
            merged[k++] = _ranges[i].FromMs <= other._ranges[j].FromMs ? _ranges[i++] : other._ranges[j++];
        }

        while (i < _ranges.Length)
        {
            merged[k++] = _ranges[i++];
        }

        while (j < other._ranges.Length)
        {
            merged[k++] = other._ranges[j++];
        }

        return new RangeSet(MergeSorted(merged));
    }

    public RangeSet Subtract(TimeRange range) => Subtract(Of(range));

    /// <summary>The instants of this set that are not in <paramref name="other"/>.</summary>
    public RangeSet Subtract(RangeSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (IsEmpty || other.IsEmpty)
        {
            return this;
        }

        var result = new List<TimeRange>(_ranges.Length + 1);
        var j = 0;
        foreach (var r in _ranges)
        {
            var from = r.FromMs;
            var to = r.ToMs;
            while (j < other._ranges.Length && other._ranges[j].ToMs <= from)
            {
                j++;
            }

            var k = j;
            while (k < other._ranges.Length && other._ranges[k].FromMs < to)
            {
                var cut = other._ranges[k];
                if (cut.FromMs > from)
                {
                    result.Add(new TimeRange(from, cut.FromMs));
                }

                from = Math.Max(from, cut.ToMs);
                if (from >= to)
                {
                    break;
                }

                k++;
            }

            if (from < to)
            {
                result.Add(new TimeRange(from, to));
            }
        }

        return new RangeSet([.. result]);
    }

    public RangeSet Intersect(TimeRange range) => Intersect(Of(range));

    public RangeSet Intersect(RangeSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (IsEmpty || other.IsEmpty)
        {
            return Empty;
        }

        var result = new List<TimeRange>();
        int i = 0, j = 0;
        while (i < _ranges.Length && j < other._ranges.Length)
        {
            var a = _ranges[i];
            var b = other._ranges[j];
            var from = Math.Max(a.FromMs, b.FromMs);
            var to = Math.Min(a.ToMs, b.ToMs);
            if (from < to)
            {
                result.Add(new TimeRange(from, to));
            }

            if (a.ToMs <= b.ToMs)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return new RangeSet([.. result]);
    }

    public IEnumerator<TimeRange> GetEnumerator() => ((IEnumerable<TimeRange>)_ranges).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(RangeSet? other) => other is not null && _ranges.AsSpan().SequenceEqual(other._ranges);

    public override bool Equals(object? obj) => Equals(obj as RangeSet);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var r in _ranges)
        {
            hash.Add(r);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => IsEmpty ? "{}" : "{" + string.Join(", ", _ranges) + "}";

    private int IndexOfLastStartingAtOrBefore(long instantMs)
    {
        int lo = 0, hi = _ranges.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_ranges[mid].FromMs <= instantMs)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }

    private static TimeRange[] MergeSorted(TimeRange[] sorted)
    {
        if (sorted.Length <= 1)
        {
            return sorted.Length == 1 && sorted[0].IsEmpty ? [] : sorted;
        }

        var result = new List<TimeRange>(sorted.Length);
        var current = sorted[0];
        for (var i = 1; i < sorted.Length; i++)
        {
            var next = sorted[i];
            if (next.IsEmpty)
            {
                continue;
            }

            if (next.FromMs <= current.ToMs)
            {
                current = new TimeRange(current.FromMs, Math.Max(current.ToMs, next.ToMs));
            }
            else
            {
                if (!current.IsEmpty)
                {
                    result.Add(current);
                }

                current = next;
            }
        }

        if (!current.IsEmpty)
        {
            result.Add(current);
        }

        return [.. result];
    }
}
