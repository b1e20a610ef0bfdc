using Gapless.Core.Model;
using Microsoft.Data.Sqlite;

namespace Gapless.Storage.Sqlite.Internal;

/// <summary>The SQL of the <c>coverage</c> table: per series, merged and disjoint ranges.</summary>
internal static class CoverageRows
{
    /// <summary>
    /// Unions a range into a series' coverage inside the caller's write transaction: the rows it overlaps or
    /// touches are read, merged with it into one range, and replaced, so concurrent writers never lose coverage
    /// and the table stays merged. Prepared once per writer connection; not thread-safe.
    /// </summary>
    internal sealed class Writer : IDisposable
    {
        private readonly SqliteCommand _select;
        private readonly SqliteCommand _replace;

        public Writer(SqliteConnection connection)
        {
            _select = Db.Command(connection, null, "SELECT min(from_ms), max(to_ms) FROM coverage WHERE series_id = $id AND to_ms >= $from AND from_ms <= $to;");
            _replace = Db.Command(
                connection,
                null,
                """
                DELETE FROM coverage WHERE series_id = $id AND to_ms >= $from AND from_ms <= $to;
                INSERT INTO coverage (series_id, from_ms, to_ms) VALUES ($id, $from, $to);
                """);
            foreach (var command in new[] { _select, _replace })
            {
                command.Parameters.Add("$id", SqliteType.Integer);
                command.Parameters.Add("$from", SqliteType.Integer);
                command.Parameters.Add("$to", SqliteType.Integer);
            }
        }

        public async Task UnionAsync(SqliteTransaction transaction, long seriesId, TimeRange covered, CancellationToken cancellationToken)
        {
            if (covered.IsEmpty)
            {
                return;
            }

            long from = covered.FromMs, to = covered.ToMs;
            Bind(_select, transaction, seriesId, from, to);
            using (var reader = await _select.ExecuteReaderAsync(cancellationToken))
            {
                if (await reader.ReadAsync(cancellationToken) && !reader.IsDBNull(0))
                {
                    from = Math.Min(from, reader.GetInt64(0));
                    to = Math.Max(to, reader.GetInt64(1));
                }
            }

            Bind(_replace, transaction, seriesId, from, to);
            await _replace.ExecuteNonQueryAsync(cancellationToken);
        }

        public void Dispose()
        {
            _select.Dispose();
            _replace.Dispose();
        }

        private static void Bind(SqliteCommand command, SqliteTransaction transaction, long seriesId, long from, long to)
        {
            command.Transaction = transaction;
            command.Parameters[0].Value = seriesId;
            command.Parameters[1].Value = from;
            command.Parameters[2].Value = to;
        }
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
}
