using Gapless.Core.Model;
using Gapless.Storage.Sqlite.Segments;
using Microsoft.Data.Sqlite;

namespace Gapless.Storage.Sqlite.Internal;

/// <summary>
/// The SQL of the <c>segments</c> table: per series and time bucket, one or more parts, each a columnar blob of
/// the bars in [first_open_ms, last_open_ms]. Parts of a series never overlap in time and never cross a bucket.
/// </summary>
internal static class SegmentRows
{
    /// <summary>The blobs (and bar counts) of the parts that may hold bars in <paramref name="range"/>, ascending.</summary>
    public static async Task<List<(byte[] Blob, int Count)>> ReadAsync(
        SqliteConnection connection, long seriesId, BucketPolicy buckets, TimeRange range, CancellationToken cancellationToken)
    {
        using var command = Db.Command(
            connection,
            null,
            """
            SELECT bar_count, data FROM segments
            WHERE series_id = $id AND bucket_start_ms >= $bucket AND bucket_start_ms < $to AND last_open_ms >= $from
              AND first_open_ms < $to
            ORDER BY bucket_start_ms, first_open_ms;
            """);
        command.Parameters.AddWithValue("$id", seriesId);
        command.Parameters.AddWithValue("$bucket", buckets.Start(range.FromMs));
        command.Parameters.AddWithValue("$from", range.FromMs);
        command.Parameters.AddWithValue("$to", range.ToMs);
        var blobs = new List<(byte[], int)>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            blobs.Add((reader.GetFieldValue<byte[]>(1), reader.GetInt32(0)));
        }

        return blobs;
    }

    /// <summary>One part's row, without its blob.</summary>
    internal readonly record struct Part(long BucketStart, long First, long Last, int Count);

    /// <summary>
    /// Prepared commands on the store's writer connection, reused by every commit (re-bound to its transaction).
    /// Not thread-safe: commits of one store take turns.
    /// </summary>
    internal sealed class Writer : IDisposable
    {
        /// <summary>Rows read past a commit's buckets on a cache miss, so the next appends find their buckets known.</summary>
        private const int ReadAhead = 256;

        /// <summary>Series whose parts are remembered; beyond this the memory is cleared and refilled.</summary>
        private const int MaxCachedSeries = 64;

        private readonly Dictionary<long, Known> _known = [];
        private readonly SqliteCommand _parts;
        private readonly SqliteCommand _data;
        private readonly SqliteCommand _insert;
        private readonly SqliteCommand _delete;
        private long _seriesId;

        public Writer(SqliteConnection connection)
        {
            _parts = Db.Command(
                connection,
                null,
                """
                SELECT bucket_start_ms, first_open_ms, last_open_ms, bar_count FROM segments
                WHERE series_id = $id AND bucket_start_ms >= $from
                ORDER BY bucket_start_ms, first_open_ms;
                """);
            _data = Db.Command(connection, null, "SELECT data FROM segments WHERE series_id = $id AND bucket_start_ms = $bucket AND first_open_ms = $first;");
            _insert = Db.Command(
                connection,
                null,
                """
                INSERT INTO segments (series_id, bucket_start_ms, first_open_ms, last_open_ms, bar_count, codec_version, data)
                VALUES ($id, $bucket, $first, $last, $count, $codec, $data);
                """);
            _delete = Db.Command(connection, null, "DELETE FROM segments WHERE series_id = $id AND bucket_start_ms = $bucket AND first_open_ms = $first;");
            Add(_parts, "$id", "$from");
            Add(_data, "$id", "$bucket", "$first");
            Add(_insert, "$id", "$bucket", "$first", "$last", "$count", "$codec");
            _insert.Parameters.Add("$data", SqliteType.Blob);
            _insert.Parameters["$codec"].Value = (int)SegmentFormat.Version;
            Add(_delete, "$id", "$bucket", "$first");
        }

        /// <summary>Binds every command to the commit's transaction and series.</summary>
        public void Begin(SqliteTransaction? transaction, long seriesId)
        {
            foreach (var command in new[] { _parts, _data, _insert, _delete })
            {
                command.Transaction = transaction;
                command.Parameters["$id"].Value = seriesId;
            }

            _seriesId = seriesId;
        }

        /// <summary>
        /// Forgets every remembered part. Call when another connection may have written (its data_version moved) or
        /// when a transaction of this writer rolled back.
        /// </summary>
        public void Forget() => _known.Clear();

        /// <summary>
        /// The parts of buckets <paramref name="fromBucket"/>..<paramref name="toBucket"/> (inclusive), ascending.
        /// Served from memory when this writer knows every part of those buckets (what it read or wrote since the
        /// last <see cref="Forget"/>); otherwise read, with up to <see cref="ReadAhead"/> rows past them.
        /// </summary>
        public async Task<List<Part>> PartsAsync(long fromBucket, long toBucket, CancellationToken cancellationToken)
        {
            if (!_known.TryGetValue(_seriesId, out var known) || fromBucket < known.From || toBucket >= known.To)
            {
                known = await ReadKnownAsync(fromBucket, toBucket, cancellationToken);
                if (_known.Count >= MaxCachedSeries)
                {
                    _known.Clear();
                }

                _known[_seriesId] = known;
            }

            var parts = new List<Part>();
            var i = known.IndexOf(fromBucket, long.MinValue);
            for (; i < known.Parts.Count && known.Parts[i].BucketStart <= toBucket; i++)
            {
                parts.Add(known.Parts[i]);
            }

            return parts;
        }

        private async Task<Known> ReadKnownAsync(long fromBucket, long toBucket, CancellationToken cancellationToken)
        {
            _parts.Parameters["$from"].Value = fromBucket;
            var parts = new List<Part>();
            var to = long.MaxValue;
            var beyond = 0;
            using (var reader = await _parts.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var part = new Part(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt32(3));
                    if (part.BucketStart > toBucket && beyond++ >= ReadAhead && part.BucketStart != parts[^1].BucketStart)
                    {
                        // Every part of the buckets before this one was read; this bucket's may not all be.
                        to = part.BucketStart;
                        break;
                    }

                    parts.Add(part);
                }
            }

            return new Known(fromBucket, to, parts);
        }

        public async Task<byte[]> DataAsync(Part part, CancellationToken cancellationToken)
        {
            _data.Parameters["$bucket"].Value = part.BucketStart;
            _data.Parameters["$first"].Value = part.First;
            using var reader = await _data.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? reader.GetFieldValue<byte[]>(0)
                : throw new InvalidOperationException($"segment part {part} vanished inside its transaction");
        }

        public async Task InsertAsync(Part part, byte[] data, CancellationToken cancellationToken)
        {
            var p = _insert.Parameters;
            p["$bucket"].Value = part.BucketStart;
            p["$first"].Value = part.First;
            p["$last"].Value = part.Last;
            p["$count"].Value = part.Count;
            p["$data"].Value = data;
            await _insert.ExecuteNonQueryAsync(cancellationToken);
            if (_known.TryGetValue(_seriesId, out var known) && known.Holds(part.BucketStart))
            {
                known.Parts.Insert(known.IndexOf(part.BucketStart, part.First), part);
            }
        }

        public async Task DeleteAsync(Part part, CancellationToken cancellationToken)
        {
            _delete.Parameters["$bucket"].Value = part.BucketStart;
            _delete.Parameters["$first"].Value = part.First;
            await _delete.ExecuteNonQueryAsync(cancellationToken);
            if (_known.TryGetValue(_seriesId, out var known) && known.Holds(part.BucketStart))
            {
                known.Parts.Remove(part);
            }
        }

        public void Dispose()
        {
            _parts.Dispose();
            _data.Dispose();
            _insert.Dispose();
            _delete.Dispose();
        }

        /// <summary>Every part of one series in buckets [<paramref name="From"/>, <paramref name="To"/>), ascending.</summary>
        private sealed record Known(long From, long To, List<Part> Parts)
        {
            public bool Holds(long bucketStart) => bucketStart >= From && bucketStart < To;

            /// <summary>The index of the first part at or after (<paramref name="bucketStart"/>, <paramref name="first"/>).</summary>
            public int IndexOf(long bucketStart, long first)
            {
                int lo = 0, hi = Parts.Count;
                while (lo < hi)
                {
                    var mid = (lo + hi) >>> 1;
                    var p = Parts[mid];
                    if (p.BucketStart < bucketStart || (p.BucketStart == bucketStart && p.First < first))
                    {
                        lo = mid + 1;
                    }
                    else
                    {
                        hi = mid;
                    }
                }

                return lo;
            }
        }

        private static void Add(SqliteCommand command, params string[] names)
        {
            foreach (var name in names)
            {
                command.Parameters.Add(name, SqliteType.Integer);
            }
        }
    }
}
