using System.Runtime.InteropServices;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Storage.Sqlite.Segments;
using Microsoft.Data.Sqlite;

namespace Gapless.Storage.Sqlite.Internal;

/// <summary>
/// Writes one <see cref="ChunkCommit"/> in one <c>BEGIN IMMEDIATE</c> transaction: series, coverage, quarantine,
/// fetch log, segments. Bars that land in a bucket outside every part's span become a new part of their own,
/// encoded before the write lock is taken (a large commit's beside the transaction's first statements); bars
/// inside a part's span are merged with that part only (existing bars win); a bucket with more than
/// <see cref="MaxPartsPerBucket"/> parts is compacted into one.
/// Commits run on one dedicated connection whose statements (BEGIN and COMMIT included) stay prepared; the store's
/// write gate makes them take turns. The writer remembers the parts and coverage rows it read or wrote, so an
/// append reads neither again; <c>PRAGMA data_version</c>, read under the write lock, tells it when another
/// connection (another store or process) has committed since, and then it forgets them.
/// </summary>
internal sealed partial class CommitWriter(SqliteConnections connections, SeriesIds seriesIds, SqliteStoreOptions options) : IDisposable
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
        // A large commit's groups are encoded by helpers on the other cores, beside the statements that do not
        // need them (the write lock, coverage, quarantine, fetch log), and by this thread once it has read the parts
        // held. A small one (a vendor chunk) is encoded here, before the write lock is taken: on a busy machine a
        // helper thread cost more than it saved.
        var session = await SessionAsync(cancellationToken);
        var encoder = new GroupEncoder(commit.Bars, BucketPolicy.For(commit.Series.Timeframe), options.Compression);
        if (!encoder.Start())
        {
            await encoder.RunAsync();
        }

        var open = false;
        try
        {
            var connection = session.Connection;
            await session.BeginAsync(cancellationToken);
            open = true;
            session.CheckDataVersion();
            var seriesId = await seriesIds.FindOrCreateAsync(connection, null, commit.Series, cancellationToken);
            await session.Coverage.UnionAsync(null, seriesId, commit.Covered, cancellationToken);
            await QuarantineRows.InsertAsync(connection, null, seriesId, commit.Quarantined, cancellationToken);
            await FetchLogRows.InsertAsync(connection, null, seriesId, commit.Chunk, commit.Calls, cancellationToken);
            var (bars, groups) = encoder.Prepare();
            session.Segments.Begin(null, seriesId);
            var stored = groups.Count == 0 ? 0 : await WriteGroupsAsync(session.Segments, bars, groups, encoder, cancellationToken);
            StageHook?.Invoke("segments");
            StageHook?.Invoke("coverage");
            StageHook?.Invoke("logs");
            cancellationToken.ThrowIfCancellationRequested();
            await session.CommitAsync(cancellationToken);
            open = false;
            session.Committed();
            seriesIds.Remember(commit.Series, seriesId);
            return new CommitResult(stored);
        }
        catch
        {
            // The caller's bars must not be read once this call has returned.
            await encoder.CloseAsync();
            session.Forget();
            if (open)
            {
                session.Rollback();
            }

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
        var open = false;
        try
        {
            var connection = session.Connection;
            await session.BeginAsync(cancellationToken);
            open = true;
            var seriesId = await seriesIds.FindOrCreateAsync(connection, null, failure.Series, cancellationToken);
            await FetchLogRows.InsertAsync(connection, null, seriesId, failure.Chunk, withError, cancellationToken);
            await session.CommitAsync(cancellationToken);
            open = false;
            seriesIds.Remember(failure.Series, seriesId);
        }
        catch
        {
            if (open)
            {
                session.Rollback();
            }

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
    private async Task<int> WriteGroupsAsync(
        SegmentRows.Writer segments, BarSource bars, List<BucketGroup> groups, GroupEncoder encoder, CancellationToken cancellationToken)
    {
        var held = await segments.PartsAsync(groups[0].BucketStart, groups[^1].BucketStart, cancellationToken);
        await encoder.RunAsync();
        foreach (var group in groups)
        {
            // A helper that failed left its group unencoded: encode it here, meeting its error, if any, again.
            group.Encoded ??= SegmentEncoder.Encode(bars.Span.Slice(group.Offset, group.Count), options.Compression);
        }

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
}
