using Gapless.Core.Model;
using Npgsql;

namespace Gapless.Storage.Postgres.Internal;

/// <summary>
/// The SQL of the <c>fetch_claims</c> table. A claim is live while the session that wrote it (<c>holder_pid</c>,
/// started at <c>holder_started</c>) is in <c>pg_stat_activity</c> (read per pid through <c>pg_stat_get_activity</c>); pid and start time together, because the server
/// reuses pids. A session of another role shows a null <c>backend_start</c> unless the reader has
/// <c>pg_read_all_stats</c>: such a claim counts as live while its pid is, the safe side (at worst one waits for a
/// reused pid's session, never two workers fetch one chunk).
/// </summary>
internal static class ClaimRows
{
    // pg_stat_get_activity(pid) is the row of pg_stat_activity for that pid (the view is built on it), without the
    // view's scan of every backend and its joins: a claim's liveness costs a lookup, not a scan.
    private const string Live = """
        EXISTS (SELECT 1 FROM pg_stat_get_activity(c.holder_pid) a
                WHERE a.backend_start = c.holder_started OR a.backend_start IS NULL)
        """;

    /// <summary>
    /// In one round trip, inside the caller's transaction: takes the series' claim lock (until commit), deletes the
    /// series' dead claims, checks that <paramref name="holder"/> is still a live session, and reads the coverage
    /// overlapping <paramref name="span"/> and every remaining claim of the series in one statement (one snapshot:
    /// a claim released after its commit is either still seen, or its coverage is).
    /// </summary>
    public static async Task<ClaimState> LockAndReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long seriesId, TimeRange span, Guid owner, ClaimHolder holder, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                Command("SELECT pg_advisory_xact_lock($1);", AdvisoryLocks.FetchClaims(seriesId)),
                Command(
                    $"""
                    WITH dead AS (DELETE FROM fetch_claims c WHERE c.series_id = $1 AND NOT {Live} RETURNING 1)
                    SELECT EXISTS (SELECT 1 FROM pg_stat_get_activity($2) WHERE backend_start = $3), (SELECT count(*) FROM dead);
                    """,
                    seriesId,
                    holder.Pid,
                    holder.Started),
                Command(
                    """
                    SELECT 0, from_time, to_time FROM coverage WHERE series_id = $1 AND to_time > $2 AND from_time < $3
                    UNION ALL
                    SELECT CASE WHEN owner = $4 THEN 1 ELSE 2 END, from_time, to_time FROM fetch_claims WHERE series_id = $1;
                    """,
                    seriesId,
                    PgTime.ToDateTime(span.FromMs),
                    PgTime.ToDateTime(span.ToMs),
                    owner),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken); // past the lock's row
        await reader.ReadAsync(cancellationToken);
        var holderAlive = reader.GetBoolean(0);
        await reader.NextResultAsync(cancellationToken);
        var ranges = new[] { new List<TimeRange>(), new List<TimeRange>(), new List<TimeRange>() };
        while (await reader.ReadAsync(cancellationToken))
        {
            ranges[reader.GetInt32(0)].Add(new TimeRange(PgTime.FromDateTime(reader.GetDateTime(1)), PgTime.FromDateTime(reader.GetDateTime(2))));
        }

        return new ClaimState(holderAlive, RangeSet.Of(ranges[0]), RangeSet.Of(ranges[1]), RangeSet.Of(ranges[2]));
    }

    public static async Task InsertAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        long seriesId,
        IReadOnlyList<TimeRange> chunks,
        Guid owner,
        ClaimHolder holder,
        string host,
        DateTimeOffset claimedAt,
        CancellationToken cancellationToken)
    {
        await using var command = Command(
            connection,
            transaction,
            """
            INSERT INTO fetch_claims (series_id, from_time, to_time, owner, holder_pid, holder_started, host, claimed_at)
            SELECT $1, u.f, u.t, $4, $5, $6, $7, $8 FROM unnest($2::timestamptz[], $3::timestamptz[]) AS u(f, t);
            """,
            seriesId,
            chunks.Select(c => PgTime.ToDateTime(c.FromMs)).ToArray(),
            chunks.Select(c => PgTime.ToDateTime(c.ToMs)).ToArray(),
            owner,
            holder.Pid,
            holder.Started,
            host,
            claimedAt.UtcDateTime);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task ReleaseAsync(NpgsqlConnection connection, long seriesId, TimeRange chunk, Guid owner, CancellationToken cancellationToken)
    {
        await using var command = Command(
            connection,
            null,
            "DELETE FROM fetch_claims WHERE series_id = $1 AND from_time = $2 AND to_time = $3 AND owner = $4;",
            seriesId,
            PgTime.ToDateTime(chunk.FromMs),
            PgTime.ToDateTime(chunk.ToMs),
            owner);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The earliest live claim of an owner other than <paramref name="owner"/> overlapping <paramref name="ranges"/>, or null.</summary>
    public static async Task<Blocker?> FirstBlockerAsync(NpgsqlConnection connection, long seriesId, Guid owner, RangeSet ranges, CancellationToken cancellationToken)
    {
        await using var command = Command(
            connection,
            null,
            $"""
            SELECT c.from_time, c.to_time, c.host, c.holder_pid, c.claimed_at FROM fetch_claims c
            WHERE c.series_id = $1 AND c.owner <> $2
              AND EXISTS (SELECT 1 FROM unnest($3::timestamptz[], $4::timestamptz[]) AS r(f, t) WHERE c.from_time < r.t AND c.to_time > r.f)
              AND {Live}
            ORDER BY c.from_time LIMIT 1;
            """,
            seriesId,
            owner,
            ranges.Select(r => PgTime.ToDateTime(r.FromMs)).ToArray(),
            ranges.Select(r => PgTime.ToDateTime(r.ToMs)).ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new Blocker(
            new TimeRange(PgTime.FromDateTime(reader.GetDateTime(0)), PgTime.FromDateTime(reader.GetDateTime(1))),
            reader.GetString(2),
            reader.GetInt32(3),
            PgTime.FromDateTime(reader.GetDateTime(4)));
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        AddValues(command.Parameters, values);
        return command;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params object[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        AddValues(command.Parameters, values);
        return command;
    }

    private static void AddValues(NpgsqlParameterCollection parameters, object[] values)
    {
        foreach (var value in values)
        {
            parameters.Add(new NpgsqlParameter { Value = value });
        }
    }
}

/// <summary>What a claim sees of its series: coverage near the wanted span, and every live claim.</summary>
/// <param name="HolderAlive">False when the claiming process's own session is gone (its claims died with it).</param>
internal sealed record ClaimState(bool HolderAlive, RangeSet Coverage, RangeSet OwnClaims, RangeSet OthersClaims);

/// <summary>A live claim another owner holds: what, where, since when (epoch ms).</summary>
internal sealed record Blocker(TimeRange Chunk, string Host, int HolderPid, long ClaimedAtMs);
