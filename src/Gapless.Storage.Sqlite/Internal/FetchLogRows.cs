using Gapless.Core.Model;
using Gapless.Core.Ports;
using Microsoft.Data.Sqlite;

namespace Gapless.Storage.Sqlite.Internal;

/// <summary>
/// The SQL of the <c>fetch_log</c> table: every vendor call, append-only. Start times are kept to the
/// millisecond, durations to the tick.
/// </summary>
internal static class FetchLogRows
{
    public static async Task InsertAsync(SqliteConnection connection, SqliteTransaction? transaction, long seriesId, TimeRange chunk, IReadOnlyList<VendorCall> calls, CancellationToken cancellationToken)
    {
        if (calls.Count == 0)
        {
            return;
        }

        using var command = Db.Command(
            connection,
            transaction,
            """
            INSERT INTO fetch_log (series_id, chunk_from_ms, chunk_to_ms, started_at_ms, request, http_status, rows, weight, duration_ms, error)
            VALUES ($id, $from, $to, $at, $request, $status, $rows, $weight, $duration, $error);
            """);
        command.Parameters.AddWithValue("$id", seriesId);
        command.Parameters.AddWithValue("$from", chunk.FromMs);
        command.Parameters.AddWithValue("$to", chunk.ToMs);
        var at = Db.Parameter(command, "$at", SqliteType.Integer);
        var request = Db.Parameter(command, "$request", SqliteType.Text);
        var status = Db.Parameter(command, "$status", SqliteType.Integer);
        var rows = Db.Parameter(command, "$rows", SqliteType.Integer);
        var weight = Db.Parameter(command, "$weight", SqliteType.Integer);
        var duration = Db.Parameter(command, "$duration", SqliteType.Real);
        var error = Db.Parameter(command, "$error", SqliteType.Text);
        foreach (var call in calls)
        {
            at.Value = call.StartedAt.ToUnixTimeMilliseconds();
            request.Value = call.Request;
            status.Value = Db.Nullable(call.HttpStatus);
            rows.Value = call.Rows;
            weight.Value = call.Weight;
            duration.Value = call.Duration.TotalMilliseconds;
            error.Value = Db.Nullable(call.Error);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public static async Task<IReadOnlyList<FetchLogEntry>> ReadAsync(SqliteConnection connection, Series series, long seriesId, CancellationToken cancellationToken)
    {
        using var command = Db.Command(
            connection,
            null,
            """
            SELECT chunk_from_ms, chunk_to_ms, started_at_ms, request, http_status, rows, weight, duration_ms, error
            FROM fetch_log WHERE series_id = $id ORDER BY id;
            """);
        command.Parameters.AddWithValue("$id", seriesId);
        var result = new List<FetchLogEntry>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var call = new VendorCall(
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetInt32(4),
                reader.GetInt32(5),
                reader.GetInt32(6),
                TimeSpan.FromTicks((long)Math.Round(reader.GetDouble(7) * TimeSpan.TicksPerMillisecond)),
                reader.IsDBNull(8) ? null : reader.GetString(8));
            result.Add(new FetchLogEntry(series, new TimeRange(reader.GetInt64(0), reader.GetInt64(1)), call));
        }

        return result;
    }
}
