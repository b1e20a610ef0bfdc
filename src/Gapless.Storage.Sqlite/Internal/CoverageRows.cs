using Gapless.Core.Model;
using Microsoft.Data.Sqlite;

namespace Gapless.Storage.Sqlite.Internal;

/// <summary>The SQL of the <c>coverage</c> table: per series, merged and disjoint ranges.</summary>
internal static class CoverageRows
{
    /// <summary>
    /// Unions <paramref name="covered"/> into the series' coverage inside the caller's write transaction: the rows it
    /// overlaps or touches are read, merged with it into one range, and replaced, so concurrent writers never lose
    /// coverage and the table stays merged.
    /// </summary>
    public static async Task UnionAsync(SqliteConnection connection, SqliteTransaction transaction, long seriesId, TimeRange covered, CancellationToken cancellationToken)
    {
        if (covered.IsEmpty)
        {
            return;
        }

        long from = covered.FromMs, to = covered.ToMs;
        using (var select = Db.Command(connection, transaction, "SELECT min(from_ms), max(to_ms) FROM coverage WHERE series_id = $id AND to_ms >= $from AND from_ms <= $to;"))
        {
            AddRange(select, seriesId, from, to);
            using var reader = await select.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken) && !reader.IsDBNull(0))
            {
                from = Math.Min(from, reader.GetInt64(0));
                to = Math.Max(to, reader.GetInt64(1));
            }
        }

        using var replace = Db.Command(
            connection,
            transaction,
            """
            DELETE FROM coverage WHERE series_id = $id AND to_ms >= $from AND from_ms <= $to;
            INSERT INTO coverage (series_id, from_ms, to_ms) VALUES ($id, $from, $to);
            """);
        AddRange(replace, seriesId, from, to);
        await replace.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<RangeSet> ReadAsync(SqliteConnection connection, long seriesId, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        using var command = Db.Command(connection, transaction, "SELECT from_ms, to_ms FROM coverage WHERE series_id = $id ORDER BY from_ms;");
        command.Parameters.AddWithValue("$id", seriesId);
        var ranges = new List<TimeRange>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ranges.Add(new TimeRange(reader.GetInt64(0), reader.GetInt64(1)));
        }

        return RangeSet.Of(ranges);
    }

    private static void AddRange(SqliteCommand command, long seriesId, long from, long to)
    {
        command.Parameters.AddWithValue("$id", seriesId);
        command.Parameters.AddWithValue("$from", from);
        command.Parameters.AddWithValue("$to", to);
    }
}
