using System.Runtime.InteropServices;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Storage.Sqlite.Segments;
using Microsoft.Data.Sqlite;

namespace Gapless.Storage.Sqlite.Internal;

// CommitWriter, in part: the commit's bars, read in place whatever list type carries them.
internal sealed partial class CommitWriter
{
    /// <summary>
    /// A commit's bars ascending by open time, one per open time (the first given wins). The caller's array or list
    /// is used in place when already in order (as the validator hands it), so a commit copies no rows.
    /// </summary>
    private sealed class BarSource
    {
        private readonly Bar[]? _array;
        private readonly int _offset;
        private readonly int _count;
        private readonly List<Bar>? _list;

        private BarSource(Bar[]? array, int offset, int count, List<Bar>? list)
        {
            _array = array;
            _offset = offset;
            _count = count;
            _list = list;
        }

        public ReadOnlySpan<Bar> Span => _list is not null ? CollectionsMarshal.AsSpan(_list) : _array.AsSpan(_offset, _count);

        public int Count => Span.Length;

        public static BarSource SortedDistinct(IReadOnlyList<Bar> input)
        {
            // Arrays, lists and array views (a page of a larger import) are read in place: a 1000-bar commit
            // would otherwise copy ~170 KB of rows, on the large-object heap, before encoding a byte.
            var source = input switch
            {
                Bar[] array => new BarSource(array, 0, array.Length, null),
                List<Bar> list => new BarSource(null, 0, 0, list),
                ArraySegment<Bar> segment => new BarSource(segment.Array ?? [], segment.Offset, segment.Count, null),
                _ => Copy(input),
            };
            var bars = source.Span;
            for (var i = 1; i < bars.Length; i++)
            {
                if (bars[i].OpenTimeMs <= bars[i - 1].OpenTimeMs)
                {
                    return Sorted(bars);
                }
            }

            return source;
        }

        /// <summary>Rare: the validator hands bars ascending. A stable sort keeps "first given wins" for duplicates.</summary>
        private static BarSource Sorted(ReadOnlySpan<Bar> bars)
        {
            var ordered = bars.ToArray().OrderBy(b => b.OpenTimeMs);
            var distinct = new List<Bar>(bars.Length);
            foreach (var bar in ordered)
            {
                if (distinct.Count == 0 || distinct[^1].OpenTimeMs != bar.OpenTimeMs)
                {
                    distinct.Add(bar);
                }
            }

            return Copy(distinct);
        }

        private static BarSource Copy(IReadOnlyList<Bar> input)
        {
            Bar[] array = [.. input];
            return new BarSource(array, 0, array.Length, null);
        }
    }
}
