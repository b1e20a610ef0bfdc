using Gapless.Core.Model;
using Microsoft.Data.Sqlite;

namespace Gapless.Storage.Sqlite.Internal;

/// <summary>The SQL of the <c>coverage</c> table: per series, merged and disjoint ranges.</summary>
internal static class CoverageRows
{
    /// <summary>
    /// Unions a range into a series' coverage inside the caller's write transaction: the rows it overlaps or
    /// touches are replaced by one merged range, so concurrent writers never lose coverage and the table stays
    /// merged. The writer remembers, per series, the row it last wrote and where the next row starts, so an
    /// append that extends that row (a sync's next chunk) is one UPDATE, or nothing when already covered. The
    /// memory is valid only while no other connection writes: call <see cref="Forget"/> when one may have.
    /// Prepared once per writer connection; not thread-safe.
    /// </summary>
    internal sealed class Writer : IDisposable
    {
        /// <summary>Series whose last row is remembered; beyond this the memory is cleared and refilled.</summary>
        private const int MaxCachedSeries = 1024;

        private readonly Dictionary<long, Row> _known = [];
        private readonly SqliteCommand _select;
        private readonly SqliteCommand _replace;
        private readonly SqliteCommand _extend;

        public Writer(SqliteConnection connection)
        {
            // The rows overlapping or touching [$from, $to], then the first row after them (rows are disjoint and
            // ordered alike by from_ms and to_ms); the reader stops there.
            _select = Db.Command(connection, null, "SELECT from_ms, to_ms FROM coverage WHERE series_id = $id AND to_ms >= $from ORDER BY from_ms;");
            _replace = Db.Command(
                connection,
                null,
                """
                DELETE FROM coverage WHERE series_id = $id AND to_ms >= $from AND from_ms <= $to;
                INSERT INTO coverage (series_id, from_ms, to_ms) VALUES ($id, $from, $to);
                """);
            _extend = Db.Command(connection, null, "UPDATE coverage SET to_ms = $to WHERE series_id = $id AND from_ms = $from;");
            foreach (var command in new[] { _select, _replace, _extend })
            {
                command.Parameters.Add("$id", SqliteType.Integer);
                command.Parameters.Add("$from", SqliteType.Integer);
                if (command != _select)
                {
                    command.Parameters.Add("$to", SqliteType.Integer);
                }
            }
        }

        /// <summary>Forgets every remembered row (another connection may have written, or a transaction rolled back).</summary>
        public void Forget() => _known.Clear();

        public async Task UnionAsync(SqliteTransaction? transaction, long seriesId, TimeRange covered, CancellationToken cancellationToken)
        {
            if (covered.IsEmpty)
            {
                return;
            }

            long from = covered.FromMs, to = covered.ToMs;
            if (_known.TryGetValue(seriesId, out var row) && row.From <= from && from <= row.To && to < row.Next)
            {
                // Starts inside or at the end of the remembered row and stops before the next: extend that row.
                if (to > row.To)
                {
                    Bind(_extend, transaction, seriesId, row.From, to);
                    await _extend.ExecuteNonQueryAsync(cancellationToken);
                    _known[seriesId] = row with { To = to };
                }

                return;
            }

            _known.Remove(seriesId);
            var next = long.MaxValue;
            _select.Transaction = transaction;
            _select.Parameters[0].Value = seriesId;
            _select.Parameters[1].Value = from;
            using (var reader = await _select.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var (f, t) = (reader.GetInt64(0), reader.GetInt64(1));
                    if (f > to)
                    {
                        next = f;
                        break;
                    }

                    from = Math.Min(from, f);
                    to = Math.Max(to, t);
                }
            }

            Bind(_replace, transaction, seriesId, from, to);
            await _replace.ExecuteNonQueryAsync(cancellationToken);
            if (_known.Count >= MaxCachedSeries)
            {
                _known.Clear();
            }

            _known[seriesId] = new Row(from, to, next);
        }

        public void Dispose()
        {
            _select.Dispose();
            _replace.Dispose();
            _extend.Dispose();
        }

        private static void Bind(SqliteCommand command, SqliteTransaction? transaction, long seriesId, long from, long to)
        {
            command.Transaction = transaction;
            command.Parameters[0].Value = seriesId;
            command.Parameters[1].Value = from;
            command.Parameters[2].Value = to;
        }

        /// <summary>A coverage row [<paramref name="From"/>, <paramref name="To"/>) and the start of the series' next row (or long.MaxValue).</summary>
        private readonly record struct Row(long From, long To, long Next);
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
