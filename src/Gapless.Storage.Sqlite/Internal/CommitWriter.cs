using System.Runtime.InteropServices;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Storage.Sqlite.Segments;
using Microsoft.Data.Sqlite;

namespace Gapless.Storage.Sqlite.Internal;

/// <summary>
/// Writes one <see cref="ChunkCommit"/> in one <c>BEGIN IMMEDIATE</c> transaction: series, segments, coverage,
/// quarantine, fetch log. Bars that land in a bucket outside every part's span become a new part of their own,
/// encoded before the write lock is taken; bars inside a part's span are merged with that part only (existing
/// bars win); a bucket with more than <see cref="MaxPartsPerBucket"/> parts is compacted into one. Commits run on
/// one dedicated connection whose statements stay prepared; the store's write gate makes them take turns.
/// </summary>
internal sealed class CommitWriter(SqliteConnections connections, SeriesIds seriesIds, SqliteStoreOptions options) : IDisposable
{
    /// <summary>A bucket holding more parts than this after a commit is rewritten as one part, so reads stay fast.</summary>
    public const int MaxPartsPerBucket = 8;

    private const int ParallelEncodeThreshold = 20_000;

    private static readonly TimeRange Everything = new(long.MinValue, long.MaxValue);

    private Session? _session;

    /// <summary>Test hook, called at each stage of a commit inside its transaction ("segments", "coverage", "logs").</summary>
    public Action<string>? StageHook { get; set; }

    public async Task<CommitResult> CommitAsync(ChunkCommit commit, CancellationToken cancellationToken)
    {
        var bars = BarSource.SortedDistinct(commit.Bars);
        var buckets = BucketPolicy.For(commit.Series.Timeframe);
        var groups = Group(bars, buckets);
        PreEncode(bars, groups);

        var session = await SessionAsync(cancellationToken);
        try
        {
            var connection = session.Connection;
            using var transaction = connection.BeginTransaction(deferred: false);
            var seriesId = await seriesIds.FindOrCreateAsync(connection, transaction, commit.Series, cancellationToken);
            session.Segments.Begin(transaction, seriesId);
            var stored = groups.Count == 0 ? 0 : await WriteGroupsAsync(session.Segments, bars, groups, cancellationToken);
            StageHook?.Invoke("segments");
            await session.Coverage.UnionAsync(transaction, seriesId, commit.Covered, cancellationToken);
            StageHook?.Invoke("coverage");
            await QuarantineRows.InsertAsync(connection, transaction, seriesId, commit.Quarantined, cancellationToken);
            await FetchLogRows.InsertAsync(connection, transaction, seriesId, commit.Chunk, commit.Calls, cancellationToken);
            StageHook?.Invoke("logs");
            cancellationToken.ThrowIfCancellationRequested();
            await transaction.CommitAsync(cancellationToken);
            seriesIds.Remember(commit.Series, seriesId);
            return new CommitResult(stored);
        }
        catch
        {
            DropSessionIfBroken(session);
            throw;
        }
    }

    public async Task RecordFailureAsync(ChunkFailure failure, CancellationToken cancellationToken)
    {
        var calls = failure.Calls.Count > 0
            ? failure.Calls
            : [new VendorCall(options.TimeProvider.GetUtcNow(), string.Empty, null, 0, 0, TimeSpan.Zero)];

        // Every call carries the chunk's error unless it has its own.
        var withError = calls.Select(c => c.Error is null ? c with { Error = failure.Error } : c).ToList();
        var session = await SessionAsync(cancellationToken);
        try
        {
            var connection = session.Connection;
            using var transaction = connection.BeginTransaction(deferred: false);
            var seriesId = await seriesIds.FindOrCreateAsync(connection, transaction, failure.Series, cancellationToken);
            await FetchLogRows.InsertAsync(connection, transaction, seriesId, failure.Chunk, withError, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            seriesIds.Remember(failure.Series, seriesId);
        }
        catch
        {
            DropSessionIfBroken(session);
            throw;
        }
    }

    /// <summary>Closes the writer connection (the store is closing).</summary>
    public void Dispose()
    {
        _session?.Dispose();
        _session = null;
    }

    private async Task<Session> SessionAsync(CancellationToken cancellationToken)
    {
        if (_session is { } open)
        {
            return open;
        }

        var connection = await connections.OpenAsync(cancellationToken);
        return _session = new Session(connection);
    }

    private void DropSessionIfBroken(Session session)
    {
        if (session.Connection.State != System.Data.ConnectionState.Open && ReferenceEquals(_session, session))
        {
            session.Dispose();
            _session = null;
        }
    }

    /// <summary>Writes each bucket's group of bars; returns how many bars were new.</summary>
    private async Task<int> WriteGroupsAsync(SegmentRows.Writer segments, BarSource bars, List<BucketGroup> groups, CancellationToken cancellationToken)
    {
        var held = await segments.PartsAsync(groups[0].BucketStart, groups[^1].BucketStart, cancellationToken);
        var stored = 0;
        var h = 0;
        var bucketParts = new List<SegmentRows.Part>();
        foreach (var group in groups)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bucketParts.Clear();
            while (h < held.Count && held[h].BucketStart < group.BucketStart)
            {
                h++;
            }

            while (h < held.Count && held[h].BucketStart == group.BucketStart)
            {
                bucketParts.Add(held[h++]);
            }

            stored += await WriteGroupAsync(segments, bars, group, bucketParts, cancellationToken);
        }

        return stored;
    }

    private async Task<int> WriteGroupAsync(
        SegmentRows.Writer segments, BarSource bars, BucketGroup group, List<SegmentRows.Part> bucketParts, CancellationToken cancellationToken)
    {
        var fresh = bars.Span.Slice(group.Offset, group.Count);
        var first = fresh[0].OpenTimeMs;
        var last = fresh[^1].OpenTimeMs;
        var overlapping = bucketParts.FindAll(p => p.First <= last && p.Last >= first);
        var partCount = bucketParts.Count - overlapping.Count + 1;
        int added;
        if (overlapping.Count == 0)
        {
            var part = new SegmentRows.Part(group.BucketStart, first, last, group.Count);
            await segments.InsertAsync(part, group.Encoded!, cancellationToken);
            added = group.Count;
        }
        else
        {
            // Bars inside held parts' spans: merge with those parts only; held bars win.
            var held = await LoadAsync(segments, overlapping, cancellationToken);
            var merged = Merge(held, bars.Span.Slice(group.Offset, group.Count), out added);
            if (added == 0)
            {
                return 0;
            }

            await ReplaceAsync(segments, overlapping, group.BucketStart, merged, cancellationToken);
        }

        if (partCount > MaxPartsPerBucket)
        {
            var all = await segments.PartsAsync(group.BucketStart, group.BucketStart, cancellationToken);
            var held = await LoadAsync(segments, all, cancellationToken);
            await ReplaceAsync(segments, all, group.BucketStart, [.. held], cancellationToken);
        }

        return added;
    }

    /// <summary>The bars of <paramref name="parts"/> (ascending, disjoint), decoded.</summary>
    private static async Task<BarFrame> LoadAsync(SegmentRows.Writer segments, List<SegmentRows.Part> parts, CancellationToken cancellationToken)
    {
        var blobs = new List<(byte[] Blob, int Count)>(parts.Count);
        foreach (var part in parts)
        {
            blobs.Add((await segments.DataAsync(part, cancellationToken), part.Count));
        }

        return FrameAssembler.Build(blobs, Everything, parallel: false);
    }

    private async Task ReplaceAsync(SegmentRows.Writer segments, List<SegmentRows.Part> old, long bucketStart, Bar[] bars, CancellationToken cancellationToken)
    {
        foreach (var part in old)
        {
            await segments.DeleteAsync(part, cancellationToken);
        }

        var blob = SegmentEncoder.Encode(bars, options.Compression);
        await segments.InsertAsync(new SegmentRows.Part(bucketStart, bars[0].OpenTimeMs, bars[^1].OpenTimeMs, bars.Length), blob, cancellationToken);
    }

    private static List<BucketGroup> Group(BarSource source, BucketPolicy buckets)
    {
        var bars = source.Span;
        var groups = new List<BucketGroup>();
        var i = 0;
        while (i < bars.Length)
        {
            var start = buckets.Start(bars[i].OpenTimeMs);
            var end = buckets.End(start);
            var j = i + 1;
            while (j < bars.Length && bars[j].OpenTimeMs < end)
            {
                j++;
            }

            groups.Add(new BucketGroup(start, i, j - i));
            i = j;
        }

        return groups;
    }

    private void PreEncode(BarSource bars, List<BucketGroup> groups)
    {
        if (groups.Count > 1 && bars.Count >= ParallelEncodeThreshold)
        {
            Parallel.ForEach(groups, g => g.Encoded = SegmentEncoder.Encode(bars.Span.Slice(g.Offset, g.Count), options.Compression));
            return;
        }

        foreach (var g in groups)
        {
            g.Encoded = SegmentEncoder.Encode(bars.Span.Slice(g.Offset, g.Count), options.Compression);
        }
    }

    /// <summary>Existing bars win over new ones at the same open time, so a re-commit changes nothing.</summary>
    private static Bar[] Merge(BarFrame held, ReadOnlySpan<Bar> fresh, out int added)
    {
        var result = new Bar[held.Count + fresh.Length];
        int i = 0, j = 0, k = 0;
        added = 0;
        var times = held.OpenTimes;
        while (i < held.Count && j < fresh.Length)
        {
            if (times[i] < fresh[j].OpenTimeMs)
            {
                result[k++] = held[i++];
            }
            else if (times[i] > fresh[j].OpenTimeMs)
            {
                result[k++] = fresh[j++];
                added++;
            }
            else
            {
                result[k++] = held[i++];
                j++;
            }
        }

        while (i < held.Count)
        {
            result[k++] = held[i++];
        }

        while (j < fresh.Length)
        {
            result[k++] = fresh[j++];
            added++;
        }

        return k == result.Length ? result : result[..k];
    }

    private sealed class BucketGroup(long bucketStart, int offset, int count)
    {
        public long BucketStart { get; } = bucketStart;

        public int Offset { get; } = offset;

        public int Count { get; } = count;

        public byte[]? Encoded { get; set; }
    }

    /// <summary>The writer connection and its prepared statements.</summary>
    private sealed class Session(SqliteConnection connection) : IDisposable
    {
        public SqliteConnection Connection { get; } = connection;

        public SegmentRows.Writer Segments { get; } = new(connection);

        public CoverageRows.Writer Coverage { get; } = new(connection);

        public void Dispose()
        {
            Segments.Dispose();
            Coverage.Dispose();
            Connection.Dispose();
        }
    }

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
