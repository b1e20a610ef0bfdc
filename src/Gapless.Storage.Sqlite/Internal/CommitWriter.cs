using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Storage.Sqlite.Segments;

namespace Gapless.Storage.Sqlite.Internal;

/// <summary>
/// Writes one <see cref="ChunkCommit"/> in one <c>BEGIN IMMEDIATE</c> transaction: series, segments (merged,
/// existing bars kept), coverage, quarantine, fetch log. New-bucket segments are encoded before the write lock
/// is taken, so the lock is held only for merges and SQL.
/// </summary>
internal sealed class CommitWriter(SqliteConnections connections, SeriesIds seriesIds, SqliteStoreOptions options)
{
    private const int ParallelEncodeThreshold = 20_000;

    /// <summary>Test hook, called at each stage of a commit inside its transaction ("segments", "coverage", "logs").</summary>
    public Action<string>? StageHook { get; set; }

    public async Task<CommitResult> CommitAsync(ChunkCommit commit, CancellationToken cancellationToken)
    {
        var bars = SortedDistinct(commit.Bars);
        var buckets = BucketPolicy.For(commit.Series.Timeframe);
        var groups = Group(bars, buckets);
        PreEncode(bars, groups);

        await using var connection = await connections.OpenAsync(cancellationToken);
        using var transaction = connection.BeginTransaction(deferred: false);
        var seriesId = await seriesIds.FindOrCreateAsync(connection, transaction, commit.Series, cancellationToken);
        var stored = 0;
        using (var segments = new SegmentRows.Writer(connection, transaction, seriesId))
        {
            foreach (var group in groups)
            {
                cancellationToken.ThrowIfCancellationRequested();
                stored += await WriteGroupAsync(segments, bars, group, cancellationToken);
            }
        }

        StageHook?.Invoke("segments");
        await CoverageRows.UnionAsync(connection, transaction, seriesId, commit.Covered, cancellationToken);
        StageHook?.Invoke("coverage");
        await QuarantineRows.InsertAsync(connection, transaction, seriesId, commit.Quarantined, cancellationToken);
        await FetchLogRows.InsertAsync(connection, transaction, seriesId, commit.Chunk, commit.Calls, cancellationToken);
        StageHook?.Invoke("logs");
        cancellationToken.ThrowIfCancellationRequested();
        await transaction.CommitAsync(cancellationToken);
        seriesIds.Remember(commit.Series, seriesId);
        return new CommitResult(stored);
    }

    public async Task RecordFailureAsync(ChunkFailure failure, CancellationToken cancellationToken)
    {
        var calls = failure.Calls.Count > 0
            ? failure.Calls
            : [new VendorCall(options.TimeProvider.GetUtcNow(), string.Empty, null, 0, 0, TimeSpan.Zero)];

        // Every call carries the chunk's error unless it has its own.
        var withError = calls.Select(c => c.Error is null ? c with { Error = failure.Error } : c).ToList();
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var transaction = connection.BeginTransaction(deferred: false);
        var seriesId = await seriesIds.FindOrCreateAsync(connection, transaction, failure.Series, cancellationToken);
        await FetchLogRows.InsertAsync(connection, transaction, seriesId, failure.Chunk, withError, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        seriesIds.Remember(failure.Series, seriesId);
    }

    private async Task<int> WriteGroupAsync(SegmentRows.Writer segments, Bar[] bars, BucketGroup group, CancellationToken cancellationToken)
    {
        var first = bars[group.Offset].OpenTimeMs;
        var last = bars[group.Offset + group.Count - 1].OpenTimeMs;
        var existing = await segments.FindAsync(group.BucketStart, cancellationToken);
        if (existing is null)
        {
            await segments.WriteAsync(group.BucketStart, first, last, group.Count, group.Encoded!, cancellationToken);
            return group.Count;
        }

        var held = FrameAssembler.Build([existing.Value], new TimeRange(long.MinValue, long.MaxValue), parallel: false);
        var merged = Merge(held, bars.AsSpan(group.Offset, group.Count), out var added);
        if (added == 0)
        {
            return 0;
        }

        var blob = SegmentEncoder.Encode(merged, options.Compression);
        await segments.WriteAsync(group.BucketStart, merged[0].OpenTimeMs, merged[^1].OpenTimeMs, merged.Length, blob, cancellationToken);
        return added;
    }

    /// <summary>The bars ascending by open time, one per open time (the first given wins).</summary>
    private static Bar[] SortedDistinct(IReadOnlyList<Bar> input)
    {
        var bars = new Bar[input.Count];
        var sorted = true;
        for (var i = 0; i < bars.Length; i++)
        {
            bars[i] = input[i];
            sorted &= i == 0 || bars[i].OpenTimeMs > bars[i - 1].OpenTimeMs;
        }

        if (sorted)
        {
            return bars;
        }

        // Rare: the validator hands bars ascending. A stable sort keeps "first given wins" for duplicates.
        var ordered = bars.OrderBy(b => b.OpenTimeMs).ToArray();
        var distinct = new List<Bar>(ordered.Length);
        foreach (var bar in ordered)
        {
            if (distinct.Count == 0 || distinct[^1].OpenTimeMs != bar.OpenTimeMs)
            {
                distinct.Add(bar);
            }
        }

        return [.. distinct];
    }

    private static List<BucketGroup> Group(Bar[] bars, BucketPolicy buckets)
    {
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

    private void PreEncode(Bar[] bars, List<BucketGroup> groups)
    {
        if (groups.Count > 1 && bars.Length >= ParallelEncodeThreshold)
        {
            Parallel.ForEach(groups, g => g.Encoded = SegmentEncoder.Encode(bars.AsSpan(g.Offset, g.Count), options.Compression));
            return;
        }

        foreach (var g in groups)
        {
            g.Encoded = SegmentEncoder.Encode(bars.AsSpan(g.Offset, g.Count), options.Compression);
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
}
