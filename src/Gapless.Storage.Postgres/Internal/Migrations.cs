using Gapless.Core.Errors;
using Npgsql;

namespace Gapless.Storage.Postgres.Internal;

/// <summary>
/// Versioned schema changes, applied in order on open inside one transaction that first takes an advisory lock
/// (<see cref="AdvisoryLocks.Migrations"/>), so processes starting at once serialise: the first applies, the others
/// wait, then see its version and apply nothing. Each applied step is a row of <c>gapless_schema_migrations</c>.
/// </summary>
internal static class Migrations
{
    private static readonly (int Version, string Description, string Sql)[] Steps =
    [
        (1, "series, bars partitioned by month, coverage, fetch log, quarantine, views", """
            CREATE TABLE series (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                provider text NOT NULL,
                symbol text NOT NULL,
                timeframe text NOT NULL,
                bar_count bigint NOT NULL DEFAULT 0 CHECK (bar_count >= 0),
                first_open_time timestamptz,
                last_open_time timestamptz,
                UNIQUE (provider, symbol, timeframe));
            COMMENT ON TABLE series IS 'Gapless: one row per (provider, symbol, timeframe); bar_count and first/last_open_time are kept by every commit.';

            -- One row per bar. numeric keeps the vendor's scale: '42000.01000000' reads back with its 8 decimals.
            -- Partitioned by calendar month of open_time (bars_YYYY_MM, created on demand by commits), for every
            -- timeframe: a month holds at most one 1M bar, four or five 1w bars per series.
            -- No foreign key to series: the store writes both in one transaction, and a per-row check would slow ingest.
            CREATE TABLE bars (
                series_id bigint NOT NULL,
                open_time timestamptz NOT NULL,
                open numeric NOT NULL,
                high numeric NOT NULL,
                low numeric NOT NULL,
                close numeric NOT NULL,
                volume numeric NOT NULL,
                quote_volume numeric,
                trades bigint,
                vwap numeric,
                cut_short_at timestamptz,
                PRIMARY KEY (series_id, open_time)) PARTITION BY RANGE (open_time);
            COMMENT ON TABLE bars IS 'Gapless: one row per bar, open_time UTC; partitions bars_YYYY_MM by month. Query gapless_bars for names.';

            -- Merged, disjoint ranges [from_time, to_time) the vendor was asked for and fully answered.
            CREATE TABLE coverage (
                series_id bigint NOT NULL REFERENCES series (id),
                from_time timestamptz NOT NULL,
                to_time timestamptz NOT NULL CHECK (to_time > from_time),
                PRIMARY KEY (series_id, from_time));

            CREATE TABLE fetch_log (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                series_id bigint NOT NULL REFERENCES series (id),
                chunk_from timestamptz NOT NULL,
                chunk_to timestamptz NOT NULL,
                started_at timestamptz NOT NULL,
                request text NOT NULL,
                http_status integer,
                rows integer NOT NULL CHECK (rows >= 0),
                weight integer NOT NULL CHECK (weight >= 0),
                duration_ms numeric NOT NULL CHECK (duration_ms >= 0),
                error text);
            CREATE INDEX fetch_log_by_series ON fetch_log (series_id, id);

            CREATE TABLE quarantine (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                series_id bigint NOT NULL REFERENCES series (id),
                open_time timestamptz NOT NULL,
                open numeric NOT NULL,
                high numeric NOT NULL,
                low numeric NOT NULL,
                close numeric NOT NULL,
                volume numeric NOT NULL,
                quote_volume numeric,
                trades bigint,
                vwap numeric,
                cut_short_at timestamptz,
                reason text NOT NULL,
                UNIQUE (series_id, open_time, reason, open, high, low, close, volume));

            CREATE VIEW gapless_bars AS
                SELECT s.provider, s.symbol, s.timeframe, b.open_time, b.open, b.high, b.low, b.close, b.volume,
                       b.quote_volume, b.trades, b.vwap, b.cut_short_at
                FROM bars b JOIN series s ON s.id = b.series_id;

            CREATE VIEW gapless_coverage AS
                SELECT s.provider, s.symbol, s.timeframe, c.from_time, c.to_time
                FROM coverage c JOIN series s ON s.id = c.series_id;
            """),
        (2, "fetch claims: which worker fetches which missing chunk", """
            -- One row per chunk a worker is fetching (PostgresFetchCoordinator). A claim is live while the session
            -- (holder_pid, holder_started) that wrote it is in pg_stat_activity: a worker that dies loses its session,
            -- and with it every claim, without anyone deleting a row. Dead rows are deleted by the next claim of the series.
            CREATE TABLE fetch_claims (
                series_id bigint NOT NULL REFERENCES series (id),
                from_time timestamptz NOT NULL,
                to_time timestamptz NOT NULL CHECK (to_time > from_time),
                owner uuid NOT NULL,
                holder_pid integer NOT NULL,
                holder_started timestamptz NOT NULL,
                host text NOT NULL,
                claimed_at timestamptz NOT NULL,
                PRIMARY KEY (series_id, from_time),
                -- Claims of one series never overlap: the database says so, not only the code that writes them.
                CONSTRAINT fetch_claims_disjoint EXCLUDE USING gist (
                    int8range(series_id, series_id, '[]') WITH &&, tstzrange(from_time, to_time) WITH &&));
            COMMENT ON TABLE fetch_claims IS 'Gapless: chunks being fetched right now, by owner; live while session holder_pid (started holder_started) is in pg_stat_activity.';
            """),
        (3, "shared rate limits: request weight per vendor window, vendor pauses", """
            -- PostgresSharedRateLimits. UNLOGGED: every request writes here, and a transaction that touches only
            -- unlogged tables neither writes WAL nor waits for a flush at commit. After a server crash the tables
            -- come back empty: a window counted from zero again, a pause forgotten, which the vendor's used-weight
            -- headers and the workers' own limiters make good within one window.
            -- Windows are aligned on multiples of window_length since the Unix epoch, by the database's clock.
            CREATE UNLOGGED TABLE rate_windows (
                vendor text NOT NULL,
                window_length interval NOT NULL CHECK (window_length > interval '0'),
                window_start timestamptz NOT NULL,
                used integer NOT NULL CHECK (used >= 0),
                PRIMARY KEY (vendor, window_length, window_start))
                WITH (fillfactor = 50); -- room on the page for the HOT updates every request makes
            COMMENT ON TABLE rate_windows IS 'Gapless: request weight spent per vendor and clock-aligned window, by every worker of this database; rows older than a day are deleted.';

            -- No request goes to vendor before until (a 429's Retry-After, a 418's ban); only ever extended.
            CREATE UNLOGGED TABLE rate_pauses (
                vendor text PRIMARY KEY,
                until timestamptz NOT NULL);
            COMMENT ON TABLE rate_pauses IS 'Gapless: no worker sends to vendor before until (a 429 Retry-After or a 418 ban seen by one of them).';
            """),
        (4, "runs: recorded backtests, their status transitions and outcome", """
            -- PostgresMarketStore as IRunStore. status is the last transition's; finished_at is set exactly when the
            -- run is completed or failed. The payloads are json, not jsonb: json keeps the exact text the caller wrote
            -- (validated on input), so it reads back byte for byte as in the SQLite store, while psql users still
            -- query it with -> and ->> (SELECT summary->>'total_return' FROM runs) and cast to jsonb for @> or jsonpath.
            CREATE TABLE runs (
                id text PRIMARY KEY,
                kind text NOT NULL,
                created_at timestamptz NOT NULL,
                request json NOT NULL,
                status text NOT NULL CHECK (status IN ('pending', 'fetching_data', 'running', 'completed', 'failed')),
                summary json,
                trades json,
                error text,
                finished_at timestamptz,
                CONSTRAINT runs_finished_when_final CHECK ((finished_at IS NOT NULL) = (status IN ('completed', 'failed'))));
            -- Newest first, ties by id in byte order (as SQLite orders them, whatever the database's collation).
            CREATE INDEX runs_newest_first ON runs (created_at DESC, id COLLATE "C");
            COMMENT ON TABLE runs IS 'Gapless: one row per recorded run (backtest); status pending|fetching_data|running|completed|failed; request, summary and trades are the JSON the run wrote.';

            -- Every status a run entered, in order: seq counts from 1 per run. Deleting a run deletes its transitions.
            CREATE TABLE run_transitions (
                run_id text NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                seq integer NOT NULL CHECK (seq > 0),
                status text NOT NULL CHECK (status IN ('pending', 'fetching_data', 'running', 'completed', 'failed')),
                at timestamptz NOT NULL,
                detail text,
                PRIMARY KEY (run_id, seq));
            COMMENT ON TABLE run_transitions IS 'Gapless: the status changes of each run, in order of seq, with their time and detail.';
            """),
    ];

    public static int Latest => Steps[^1].Version;

    /// <summary>Applies the missing steps; returns the schema version now in place.</summary>
    public static Task<int> ApplyAsync(NpgsqlConnection connection, string location, TimeProvider clock, CancellationToken cancellationToken)
        => ApplyAsync(connection, location, clock, Latest, cancellationToken);

    /// <summary>Applies the missing steps up to <paramref name="upTo"/> (tests build older schemas with it); returns the schema version now in place.</summary>
    public static async Task<int> ApplyAsync(NpgsqlConnection connection, string location, TimeProvider clock, int upTo, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand(
            $"""
            SELECT pg_advisory_xact_lock({AdvisoryLocks.Migrations});
            CREATE TABLE IF NOT EXISTS gapless_schema_migrations (
                version integer PRIMARY KEY,
                description text NOT NULL,
                applied_at timestamptz NOT NULL);
            """,
            connection,
            transaction))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        var current = await VersionAsync(connection, transaction, cancellationToken);
        if (current > Latest)
        {
            throw new StoreException($"The store {location} has schema version {current}, newer than this Gapless understands ({Latest}). Upgrade Gapless or use another --db.");
        }

        foreach (var (version, description, sql) in Steps)
        {
            if (version <= current || version > upTo)
            {
                continue;
            }

            await using var step = new NpgsqlCommand(sql, connection, transaction);
            await step.ExecuteNonQueryAsync(cancellationToken);
            await using var record = new NpgsqlCommand(
                "INSERT INTO gapless_schema_migrations (version, description, applied_at) VALUES ($1, $2, $3);", connection, transaction);
            record.Parameters.AddWithValue(version);
            record.Parameters.AddWithValue(description);
            record.Parameters.AddWithValue(clock.GetUtcNow().UtcDateTime);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return Math.Max(current, upTo);
    }

    public static async Task<int> VersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM gapless_schema_migrations;", connection, transaction);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
