using Gapless.Core.Errors;
using Microsoft.Data.Sqlite;

namespace Gapless.Storage.Sqlite.Internal;

/// <summary>
/// Versioned schema changes, applied in order on open inside one write transaction, so two processes opening
/// a new file at once serialise: the second sees the first's version and applies nothing. The version lives in
/// <c>PRAGMA user_version</c> and each step is recorded in <c>schema_migrations</c>.
/// </summary>
internal static class Migrations
{
    private static readonly (int Version, string Sql)[] Steps =
    [
        (1, """
            CREATE TABLE series (
                id INTEGER PRIMARY KEY,
                provider TEXT NOT NULL,
                symbol TEXT NOT NULL,
                timeframe TEXT NOT NULL,
                UNIQUE (provider, symbol, timeframe));

            -- Bars, one columnar blob per series and time bucket (replaced by migration 2).
            CREATE TABLE segments (
                series_id INTEGER NOT NULL REFERENCES series (id),
                bucket_start_ms INTEGER NOT NULL,
                first_open_ms INTEGER NOT NULL,
                last_open_ms INTEGER NOT NULL,
                bar_count INTEGER NOT NULL CHECK (bar_count > 0),
                codec_version INTEGER NOT NULL,
                data BLOB NOT NULL,
                PRIMARY KEY (series_id, bucket_start_ms)) WITHOUT ROWID;

            -- Merged, disjoint ranges the vendor fully answered.
            CREATE TABLE coverage (
                series_id INTEGER NOT NULL REFERENCES series (id),
                from_ms INTEGER NOT NULL,
                to_ms INTEGER NOT NULL CHECK (to_ms > from_ms),
                PRIMARY KEY (series_id, from_ms)) WITHOUT ROWID;

            CREATE TABLE fetch_log (
                id INTEGER PRIMARY KEY,
                series_id INTEGER NOT NULL REFERENCES series (id),
                chunk_from_ms INTEGER NOT NULL,
                chunk_to_ms INTEGER NOT NULL,
                started_at_ms INTEGER NOT NULL,
                request TEXT NOT NULL,
                http_status INTEGER,
                rows INTEGER NOT NULL CHECK (rows >= 0),
                weight INTEGER NOT NULL CHECK (weight >= 0),
                duration_ms REAL NOT NULL CHECK (duration_ms >= 0),
                error TEXT);
            CREATE INDEX fetch_log_by_series ON fetch_log (series_id, id);

            -- Rejected bars, values exactly as received (decimal text keeps trailing zeros).
            CREATE TABLE quarantine (
                id INTEGER PRIMARY KEY,
                series_id INTEGER NOT NULL REFERENCES series (id),
                open_time_ms INTEGER NOT NULL,
                open TEXT NOT NULL,
                high TEXT NOT NULL,
                low TEXT NOT NULL,
                close TEXT NOT NULL,
                volume TEXT NOT NULL,
                quote_volume TEXT,
                trades INTEGER,
                vwap TEXT,
                cut_short_at_ms INTEGER,
                reason TEXT NOT NULL,
                UNIQUE (series_id, open_time_ms, reason, open, high, low, close, volume));

            CREATE TABLE schema_migrations (
                version INTEGER PRIMARY KEY,
                applied_at_ms INTEGER NOT NULL);
            """),

        // Segment codec 2 (bit-packed blocks) and several disjoint parts per bucket, so a commit writes only its
        // own part. Codec 1 blobs are not read any more: they are dropped with the coverage they proved, so the
        // next sync fetches those ranges again (nothing was deployed with codec 1).
        (2, """
            DROP TABLE segments;
            CREATE TABLE segments (
                series_id INTEGER NOT NULL REFERENCES series (id),
                bucket_start_ms INTEGER NOT NULL,
                first_open_ms INTEGER NOT NULL,
                last_open_ms INTEGER NOT NULL CHECK (last_open_ms >= first_open_ms),
                bar_count INTEGER NOT NULL CHECK (bar_count > 0),
                codec_version INTEGER NOT NULL,
                data BLOB NOT NULL,
                PRIMARY KEY (series_id, bucket_start_ms, first_open_ms)) WITHOUT ROWID;
            DELETE FROM coverage;
            """),

        // Runs (backtests) recorded beside the data they ran on (IRunStore). status is the last transition's,
        // finished_at is set exactly when the run is completed or failed. Payloads are JSON text kept exactly as the
        // caller wrote it (json_valid rejects anything else). Foreign keys are declared for readers of the schema;
        // SQLite enforces them only where PRAGMA foreign_keys is on, and the store writes both tables in one transaction.
        (3, """
            CREATE TABLE runs (
                id TEXT NOT NULL PRIMARY KEY,
                kind TEXT NOT NULL,
                created_at_ms INTEGER NOT NULL,
                request TEXT NOT NULL CONSTRAINT run_request_is_json CHECK (json_valid(request)),
                status TEXT NOT NULL CHECK (status IN ('pending', 'fetching_data', 'running', 'completed', 'failed')),
                summary TEXT CONSTRAINT run_summary_is_json CHECK (summary IS NULL OR json_valid(summary)),
                trades TEXT CONSTRAINT run_trades_is_json CHECK (trades IS NULL OR json_valid(trades)),
                error TEXT,
                finished_at_ms INTEGER,
                CONSTRAINT run_finished_when_final CHECK ((finished_at_ms IS NOT NULL) = (status IN ('completed', 'failed'))));
            CREATE INDEX runs_newest_first ON runs (created_at_ms DESC, id);

            -- Every status a run entered, in order: seq counts from 1 per run.
            CREATE TABLE run_transitions (
                run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                seq INTEGER NOT NULL CHECK (seq > 0),
                status TEXT NOT NULL CHECK (status IN ('pending', 'fetching_data', 'running', 'completed', 'failed')),
                at_ms INTEGER NOT NULL,
                detail TEXT,
                PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
            """),
    ];

    public static int Latest => Steps[^1].Version;

    public static Task ApplyAsync(SqliteConnection connection, string path, TimeProvider clock, CancellationToken cancellationToken)
        => ApplyAsync(connection, path, clock, Latest, cancellationToken);

    /// <summary>Applies the missing steps up to <paramref name="upTo"/> (tests build older schemas with it).</summary>
    public static async Task ApplyAsync(SqliteConnection connection, string path, TimeProvider clock, int upTo, CancellationToken cancellationToken)
    {
        // WAL lets readers run beside one writer; it is a property of the file, so set it outside a transaction.
        await ExecuteAsync(connection, "PRAGMA journal_mode = WAL;", cancellationToken);
        using var transaction = connection.BeginTransaction(deferred: false);
        var current = await VersionAsync(connection, transaction, cancellationToken);
        if (current > Latest)
        {
            throw new StoreException($"The store {path} has schema version {current}, newer than this Gapless understands ({Latest}). Upgrade Gapless or use another --db.");
        }

        foreach (var (version, sql) in Steps)
        {
            if (version <= current || version > upTo)
            {
                continue;
            }

            await ExecuteAsync(connection, sql, cancellationToken, transaction);
            using var record = Db.Command(connection, transaction, "INSERT INTO schema_migrations (version, applied_at_ms) VALUES ($version, $at);");
            record.Parameters.AddWithValue("$version", version);
            record.Parameters.AddWithValue("$at", clock.GetUtcNow().ToUnixTimeMilliseconds());
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        var target = Math.Min(upTo, Latest);
        if (current < target)
        {
            // PRAGMA takes no parameters; the version is one of the steps' constants, not input.
            await ExecuteAsync(connection, $"PRAGMA user_version = {target};", cancellationToken, transaction);
        }

        transaction.Commit();
    }

    public static async Task<int> VersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        using var command = Db.Command(connection, transaction, "PRAGMA user_version;");
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        using var command = Db.Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
