using Gapless.Core.Model;
using Npgsql;

namespace Gapless.Storage.Postgres.Internal;

/// <summary>The SQL of the <c>quarantine</c> table. Values are numeric, so each keeps the scale the vendor wrote.</summary>
internal static class QuarantineRows
{
    /// <summary>The chunk's rejected bars with their reasons; null when there are none.</summary>
    public static NpgsqlBatchCommand? InsertCommand(long seriesId, IReadOnlyList<QuarantinedBar> bars)
    {
        if (bars.Count == 0)
        {
            return null;
        }

        // A re-committed chunk brings the same rejects again: the unique key keeps one row each.
        var command = new NpgsqlBatchCommand(
            """
            INSERT INTO quarantine (series_id, open_time, open, high, low, close, volume, quote_volume, trades, vwap, cut_short_at, reason)
            SELECT $1, q.* FROM unnest($2::timestamptz[], $3::numeric[], $4::numeric[], $5::numeric[], $6::numeric[], $7::numeric[],
                                       $8::numeric[], $9::bigint[], $10::numeric[], $11::timestamptz[], $12::text[]) AS q
            ON CONFLICT DO NOTHING;
            """);
        command.Parameters.AddWithValue(seriesId);
        command.Parameters.AddWithValue(bars.Select(q => PgTime.ToDateTime(q.Bar.OpenTimeMs)).ToArray());
        command.Parameters.AddWithValue(bars.Select(q => q.Bar.Open).ToArray());
        command.Parameters.AddWithValue(bars.Select(q => q.Bar.High).ToArray());
        command.Parameters.AddWithValue(bars.Select(q => q.Bar.Low).ToArray());
        command.Parameters.AddWithValue(bars.Select(q => q.Bar.Close).ToArray());
        command.Parameters.AddWithValue(bars.Select(q => q.Bar.Volume).ToArray());
        command.Parameters.AddWithValue(bars.Select(q => q.Bar.QuoteVolume).ToArray());
        command.Parameters.AddWithValue(bars.Select(q => q.Bar.Trades).ToArray());
        command.Parameters.AddWithValue(bars.Select(q => q.Bar.Vwap).ToArray());
        command.Parameters.AddWithValue(bars.Select(q => q.Bar.CutShortAtMs is { } c ? PgTime.ToDateTime(c) : (DateTime?)null).ToArray());
        command.Parameters.AddWithValue(bars.Select(q => q.Reason).ToArray());
        return command;
    }

    public static async Task<IReadOnlyList<QuarantinedBar>> ReadAsync(NpgsqlConnection connection, long seriesId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT open_time, open, high, low, close, volume, quote_volume, trades, vwap, cut_short_at, reason
            FROM quarantine WHERE series_id = $1 ORDER BY open_time, id;
            """,
            connection);
        command.Parameters.AddWithValue(seriesId);
        var result = new List<QuarantinedBar>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var bar = new Bar(
                PgTime.FromDateTime(reader.GetDateTime(0)),
                reader.GetDecimal(1),
                reader.GetDecimal(2),
                reader.GetDecimal(3),
                reader.GetDecimal(4),
                reader.GetDecimal(5),
                reader.IsDBNull(6) ? null : reader.GetDecimal(6),
                reader.IsDBNull(7) ? null : reader.GetInt64(7),
                reader.IsDBNull(8) ? null : reader.GetDecimal(8),
                reader.IsDBNull(9) ? null : PgTime.FromDateTime(reader.GetDateTime(9)));
            result.Add(new QuarantinedBar(bar, reader.GetString(10)));
        }

        return result;
    }
}
