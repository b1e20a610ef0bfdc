using Gapless.Core.Model;
using Gapless.Core.Ports;
using Microsoft.Data.Sqlite;

namespace Gapless.Storage.Sqlite.Internal;

/// <summary>Read-only queries about what the store holds: series summaries and file statistics.</summary>
internal static class CatalogQueries
{
    public static async Task<IReadOnlyList<SeriesSummary>> ListSeriesAsync(SqliteConnection connection, SeriesFilter filter, CancellationToken cancellationToken)
    {
        // One read transaction, so counts and coverage come from the same snapshot.
        using var transaction = connection.BeginTransaction(deferred: true);
        using var command = Db.Command(
            connection,
            transaction,
            """
            SELECT s.id, s.provider, s.symbol, s.timeframe,
                   (SELECT coalesce(sum(bar_count), 0) FROM segments g WHERE g.series_id = s.id),
                   (SELECT min(first_open_ms) FROM segments g WHERE g.series_id = s.id),
                   (SELECT max(last_open_ms) FROM segments g WHERE g.series_id = s.id),
                   (SELECT count(*) FROM quarantine q WHERE q.series_id = s.id)
            FROM series s
            WHERE ($p IS NULL OR s.provider = $p) AND ($s IS NULL OR s.symbol = $s) AND ($t IS NULL OR s.timeframe = $t)
            ORDER BY s.provider, s.symbol, s.timeframe;
            """);
        command.Parameters.AddWithValue("$p", Db.Nullable(filter.Provider));
        command.Parameters.AddWithValue("$s", Db.Nullable(filter.Symbol));
        command.Parameters.AddWithValue("$t", Db.Nullable(filter.Timeframe?.Code));
        var rows = new List<(long Id, Series Series, long Bars, long? First, long? Last, int Quarantined)>();
        using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!Timeframe.TryParse(reader.GetString(3), out var timeframe))
                {
                    continue; // a timeframe a newer Gapless wrote; not ours to list
                }

                rows.Add((
                    reader.GetInt64(0),
                    new Series(reader.GetString(1), reader.GetString(2), timeframe),
                    reader.GetInt64(4),
                    reader.IsDBNull(5) ? null : reader.GetInt64(5),
                    reader.IsDBNull(6) ? null : reader.GetInt64(6),
                    reader.GetInt32(7)));
            }
        }

        var result = new List<SeriesSummary>(rows.Count);
        foreach (var row in rows)
        {
            var coverage = await CoverageRows.ReadAsync(connection, row.Id, cancellationToken, transaction);
            result.Add(new SeriesSummary(row.Series, coverage, row.Bars, row.First, row.Last, row.Quarantined));
        }

        return result;
    }

    public static async Task<SqliteStoreInfo> InfoAsync(SqliteConnection connection, string path, CancellationToken cancellationToken)
    {
        using var transaction = connection.BeginTransaction(deferred: true);
        var version = await Migrations.VersionAsync(connection, transaction, cancellationToken);
        using var command = Db.Command(
            connection,
            transaction,
            """
            SELECT (SELECT count(*) FROM series), (SELECT coalesce(sum(bar_count), 0) FROM segments), (SELECT count(*) FROM segments),
                   (SELECT count(*) FROM quarantine), (SELECT count(*) FROM fetch_log), (SELECT count(*) FROM runs);
            """);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new SqliteStoreInfo(
            path,
            version,
            reader.GetInt64(0),
            reader.GetInt64(1),
            reader.GetInt64(2),
            reader.GetInt64(3),
            reader.GetInt64(4),
            reader.GetInt64(5),
            FileSize(path) + FileSize(path + "-wal"));
    }

    private static long FileSize(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? info.Length : 0;
    }
}
