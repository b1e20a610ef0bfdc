using Gapless.Core.Model;

namespace Gapless.Core.Sync;

/// <summary>
/// The chunks being fetched in this process, per series: a keyed single-flight. A caller whose missing ranges
/// overlap a chunk in flight waits for that chunk instead of fetching it again. Thread-safe.
/// </summary>
internal sealed class InFlightChunks
{
    private readonly Dictionary<Series, List<Entry>> _bySeries = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<Entry> Snapshot(Series series)
    {
        lock (_gate)
        {
            return _bySeries.TryGetValue(series, out var list) ? [.. list] : [];
        }
    }

    public void Add(Series series, IEnumerable<Entry> entries)
    {
        lock (_gate)
        {
            if (!_bySeries.TryGetValue(series, out var list))
            {
                _bySeries[series] = list = [];
            }

            list.AddRange(entries);
        }
    }

    /// <summary>Called after the chunk's commit, so a caller that no longer sees it in flight sees it in coverage.</summary>
    public void Remove(Series series, Entry entry)
    {
        lock (_gate)
        {
            if (_bySeries.TryGetValue(series, out var list))
            {
                list.Remove(entry);
                if (list.Count == 0)
                {
                    _bySeries.Remove(series);
                }
            }
        }
    }

    internal sealed class Entry(TimeRange chunk)
    {
        public TimeRange Chunk { get; } = chunk;

        public TaskCompletionSource<ChunkOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
