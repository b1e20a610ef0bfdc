using Gapless.Core.Model;
using Gapless.Core.Ports;
using Npgsql;

namespace Gapless.Storage.Postgres.Internal;

/// <summary>Read-only queries about what the store holds: series summaries and database statistics.</summary>
internal static class CatalogQueries
{
    public static async Task<IReadOnlyList<SeriesSummary>> ListSeriesAsync(NpgsqlConnection connection, SeriesFilter filter, CancellationToken cancellationToken)
    {
        // One REPEATABLE READ transaction, so counts and coverage come from the same snapshot.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            SELECT s.id, s.provider, s.symbol, s.timeframe, s.bar_count, s.first_open_time, s.last_open_time,
                   (SELECT count(*) FROM quarantine q WHERE q.series_id = s.id),
                   coalesce((SELECT array_agg(c.from_time ORDER BY c.from_time) FROM coverage c WHERE c.series_id = s.id), '{}'),
                   coalesce((SELECT array_agg(c.to_time ORDER BY c.from_time) FROM coverage c WHERE c.series_id = s.id), '{}')
            FROM series s
            WHERE ($1::text IS NULL OR s.provider = $1) AND ($2::text IS NULL OR s.symbol = $2) AND ($3::text IS NULL OR s.timeframe = $3)
            ORDER BY s.provider, s.symbol, s.timeframe;
            """,
            connection,
            transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)filter.Provider ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)filter.Symbol ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)filter.Timeframe?.Code ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var result = new List<SeriesSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (!Timeframe.TryParse(reader.GetString(3), out var timeframe))
            {
                continue; // a timeframe a newer Gapless wrote; not ours to list
            }

            var froms = reader.GetFieldValue<DateTime[]>(8);
            var tos = reader.GetFieldValue<DateTime[]>(9);
            var coverage = RangeSet.Of(froms.Select((f, i) => new TimeRange(PgTime.FromDateTime(f), PgTime.FromDateTime(tos[i]))));
            result.Add(new SeriesSummary(
                new Series(reader.GetString(1), reader.GetString(2), timeframe),
                coverage,
                reader.GetInt64(4),
                reader.IsDBNull(5) ? null : PgTime.FromDateTime(reader.GetDateTime(5)),
                reader.IsDBNull(6) ? null : PgTime.FromDateTime(reader.GetDateTime(6)),
                (int)reader.GetInt64(7)));
        }

        return result;
    }

    public static async Task<PostgresStoreInfo> InfoAsync(NpgsqlConnection connection, string location, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var version = await Migrations.VersionAsync(connection, transaction, cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            SELECT (SELECT count(*) FROM series), (SELECT coalesce(sum(bar_count), 0)::bigint FROM series),
                   (SELECT count(*) FROM quarantine), (SELECT count(*) FROM fetch_log),
                   (SELECT coalesce(sum(pg_total_relation_size(relid)), 0)::bigint FROM pg_partition_tree('bars'))
                   + pg_total_relation_size('series') + pg_total_relation_size('coverage') + pg_total_relation_size('fetch_log')
                   + pg_total_relation_size('quarantine') + pg_total_relation_size('fetch_claims') + pg_total_relation_size('gapless_schema_migrations')
                   + pg_total_relation_size('rate_windows') + pg_total_relation_size('rate_pauses')
                   + pg_total_relation_size('runs') + pg_total_relation_size('run_transitions'),
                   split_part(current_setting('server_version'), ' ', 1),
                   (SELECT count(*) FROM runs);
            SELECT c.relname, pg_total_relation_size(c.oid), c.reltuples::bigint
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'bars'::regclass
            ORDER BY c.relname;
            """,
            connection,
            transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (series, bars, quarantined, calls, size, server, runs) =
            (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetString(5), reader.GetInt64(6));
        await reader.NextResultAsync(cancellationToken);
        var partitions = new List<PostgresPartitionInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var name = reader.GetString(0);
            var range = Partitions.RangeOf(name);
            var rows = reader.GetInt64(2);
            partitions.Add(new PostgresPartitionInfo(name, range?.From, range?.To, reader.GetInt64(1), rows < 0 ? null : rows));
        }

        return new PostgresStoreInfo("postgres", location, version, server, series, bars, quarantined, calls, runs, size, partitions);
    }
}
