using Gapless.Core.Model;
using Gapless.Core.Ports;
using Npgsql;

namespace Gapless.Storage.Postgres.Internal;

/// <summary>
/// The SQL of the <c>fetch_log</c> table: every vendor call, append-only, in the order given. Start times are kept
/// to the millisecond (as every store keeps them), durations exactly (numeric milliseconds, to the tick).
/// </summary>
internal static class FetchLogRows
{
    /// <summary>The calls of one chunk (retries included) as fetch-log rows, in order; null when there are none.</summary>
    public static NpgsqlBatchCommand? InsertCommand(long seriesId, TimeRange chunk, IReadOnlyList<VendorCall> calls)
    {
        if (calls.Count == 0)
        {
            return null;
        }

        var command = new NpgsqlBatchCommand(
            """
            INSERT INTO fetch_log (series_id, chunk_from, chunk_to, started_at, request, http_status, rows, weight, duration_ms, error)
            SELECT $1, $2, $3, c.started_at, c.request, c.http_status, c.rows, c.weight, c.duration_ms, c.error
            FROM unnest($4::timestamptz[], $5::text[], $6::integer[], $7::integer[], $8::integer[], $9::numeric[], $10::text[])
                 WITH ORDINALITY AS c(started_at, request, http_status, rows, weight, duration_ms, error, i)
            ORDER BY c.i;
            """);
        command.Parameters.AddWithValue(seriesId);
        command.Parameters.AddWithValue(PgTime.ToDateTime(chunk.FromMs));
        command.Parameters.AddWithValue(PgTime.ToDateTime(chunk.ToMs));
        command.Parameters.AddWithValue(calls.Select(c => PgTime.ToDateTime(c.StartedAt.ToUnixTimeMilliseconds())).ToArray());
        command.Parameters.AddWithValue(calls.Select(c => c.Request).ToArray());
        command.Parameters.AddWithValue(calls.Select(c => c.HttpStatus).ToArray());
        command.Parameters.AddWithValue(calls.Select(c => c.Rows).ToArray());
        command.Parameters.AddWithValue(calls.Select(c => c.Weight).ToArray());
        command.Parameters.AddWithValue(calls.Select(c => c.Duration.Ticks / (decimal)TimeSpan.TicksPerMillisecond).ToArray());
        command.Parameters.AddWithValue(calls.Select(c => c.Error).ToArray());
        return command;
    }

    public static async Task<IReadOnlyList<FetchLogEntry>> ReadAsync(NpgsqlConnection connection, Series series, long seriesId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT chunk_from, chunk_to, started_at, request, http_status, rows, weight, duration_ms, error
            FROM fetch_log WHERE series_id = $1 ORDER BY id;
            """,
            connection);
        command.Parameters.AddWithValue(seriesId);
        var result = new List<FetchLogEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var call = new VendorCall(
                DateTimeOffset.FromUnixTimeMilliseconds(PgTime.FromDateTime(reader.GetDateTime(2))),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetInt32(4),
                reader.GetInt32(5),
                reader.GetInt32(6),
                TimeSpan.FromTicks((long)Math.Round(reader.GetDecimal(7) * TimeSpan.TicksPerMillisecond)),
                reader.IsDBNull(8) ? null : reader.GetString(8));
            var chunk = new TimeRange(PgTime.FromDateTime(reader.GetDateTime(0)), PgTime.FromDateTime(reader.GetDateTime(1)));
            result.Add(new FetchLogEntry(series, chunk, call));
        }

        return result;
    }
}
