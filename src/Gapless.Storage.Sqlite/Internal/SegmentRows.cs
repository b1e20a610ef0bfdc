using Gapless.Core.Model;
using Gapless.Storage.Sqlite.Segments;
using Microsoft.Data.Sqlite;

namespace Gapless.Storage.Sqlite.Internal;

/// <summary>The SQL of the <c>segments</c> table: one columnar blob per series and time bucket.</summary>
internal static class SegmentRows
{
    /// <summary>The blobs (and bar counts) of the segments that may hold bars in <paramref name="range"/>, ascending.</summary>
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
            ORDER BY bucket_start_ms;
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

    /// <summary>Reads and writes one series' segments inside a commit, with prepared commands.</summary>
    internal sealed class Writer : IDisposable
    {
        private readonly SqliteCommand _select;
        private readonly SqliteParameter _selectBucket;
        private readonly SqliteCommand _upsert;
        private readonly SqliteParameter _bucket;
        private readonly SqliteParameter _first;
        private readonly SqliteParameter _last;
        private readonly SqliteParameter _count;
        private readonly SqliteParameter _data;

        public Writer(SqliteConnection connection, SqliteTransaction transaction, long seriesId)
        {
            _select = Db.Command(connection, transaction, "SELECT bar_count, data FROM segments WHERE series_id = $id AND bucket_start_ms = $bucket;");
            _select.Parameters.AddWithValue("$id", seriesId);
            _selectBucket = Db.Parameter(_select, "$bucket", SqliteType.Integer);
            _upsert = Db.Command(
                connection,
                transaction,
                """
                INSERT OR REPLACE INTO segments (series_id, bucket_start_ms, first_open_ms, last_open_ms, bar_count, codec_version, data)
                VALUES ($id, $bucket, $first, $last, $count, $codec, $data);
                """);
            _upsert.Parameters.AddWithValue("$id", seriesId);
            _upsert.Parameters.AddWithValue("$codec", (int)SegmentFormat.Version);
            _bucket = Db.Parameter(_upsert, "$bucket", SqliteType.Integer);
            _first = Db.Parameter(_upsert, "$first", SqliteType.Integer);
            _last = Db.Parameter(_upsert, "$last", SqliteType.Integer);
            _count = Db.Parameter(_upsert, "$count", SqliteType.Integer);
            _data = Db.Parameter(_upsert, "$data", SqliteType.Blob);
        }

        /// <summary>The segment held for <paramref name="bucketStartMs"/>, or null.</summary>
        public async Task<(byte[] Blob, int Count)?> FindAsync(long bucketStartMs, CancellationToken cancellationToken)
        {
            _selectBucket.Value = bucketStartMs;
            using var reader = await _select.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? (reader.GetFieldValue<byte[]>(1), reader.GetInt32(0)) : null;
        }

        public async Task WriteAsync(long bucketStartMs, long firstOpenMs, long lastOpenMs, int count, byte[] data, CancellationToken cancellationToken)
        {
            _bucket.Value = bucketStartMs;
            _first.Value = firstOpenMs;
            _last.Value = lastOpenMs;
            _count.Value = count;
            _data.Value = data;
            await _upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        public void Dispose()
        {
            _select.Dispose();
            _upsert.Dispose();
        }
    }
}
