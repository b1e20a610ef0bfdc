using Gapless.Core.Ports;
using Npgsql;
using NpgsqlTypes;

namespace Gapless.Storage.Postgres.Internal;

/// <summary>
/// The SQL of the <c>runs</c> and <c>run_transitions</c> tables. A transition locks its run's row first
/// (<see cref="LockAsync"/>), so transitions of one run, from any number of sessions, take turns: each then numbers
/// itself after the last one committed. Times are kept to the millisecond (UTC); JSON payloads as the exact text given.
/// </summary>
internal static class RunRows
{
    /// <summary>
    /// A run's columns and its transitions as three arrays in seq order, in one statement (one snapshot), so the
    /// run's status is always its last transition's. Ties of created_at are broken by id in byte order, as in SQLite.
    /// </summary>
    private const string Select = """
        SELECT r.id, r.kind, r.created_at, r.request, r.status, r.summary, r.trades, r.error,
               ARRAY(SELECT t.status FROM run_transitions t WHERE t.run_id = r.id ORDER BY t.seq),
               ARRAY(SELECT t.at FROM run_transitions t WHERE t.run_id = r.id ORDER BY t.seq),
               ARRAY(SELECT t.detail FROM run_transitions t WHERE t.run_id = r.id ORDER BY t.seq)
        FROM runs r
        """;

    /// <summary>
    /// Inserts the run and its transitions (seq 1, 2, …) in one statement, so atomically; false, writing nothing,
    /// when the id is taken (also by a run another session is creating right now: the insert waits for it).
    /// </summary>
    public static async Task<bool> InsertAsync(NpgsqlConnection connection, RunRecord run, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            WITH run AS (
                INSERT INTO runs (id, kind, created_at, request, status, summary, trades, error, finished_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                ON CONFLICT (id) DO NOTHING
                RETURNING id)
            INSERT INTO run_transitions (run_id, seq, status, at, detail)
            SELECT run.id, t.seq, t.status, t.at, t.detail
            FROM run, unnest($10::text[], $11::timestamptz[], $12::text[]) WITH ORDINALITY AS t(status, at, detail, seq);
            """,
            connection);
        command.Parameters.AddWithValue(run.Id);
        command.Parameters.AddWithValue(run.Kind);
        command.Parameters.AddWithValue(Time(run.CreatedAt));
        command.Parameters.Add(Json(run.RequestJson));
        command.Parameters.AddWithValue(RunRules.Name(run.Status));
        command.Parameters.Add(Json(run.Outcome?.SummaryJson));
        command.Parameters.Add(Json(run.Outcome?.TradesJson));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)run.Outcome?.Error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = run.Outcome is null ? DBNull.Value : Time(run.Transitions[^1].At), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.AddWithValue(run.Transitions.Select(t => RunRules.Name(t.Status)).ToArray());
        command.Parameters.AddWithValue(run.Transitions.Select(t => Time(t.At)).ToArray());
        command.Parameters.Add(new NpgsqlParameter { Value = run.Transitions.Select(t => t.Detail).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>
    /// Locks the run's row until the transaction ends (FOR NO KEY UPDATE: readers and the foreign key of
    /// run_transitions are not blocked) and returns its status name, or null when there is no such run.
    /// </summary>
    public static async Task<string?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string runId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT status FROM runs WHERE id = $1 FOR NO KEY UPDATE;", connection, transaction);
        command.Parameters.AddWithValue(runId);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>
    /// After <see cref="LockAsync"/>: appends <paramref name="transition"/> as the run's next seq and makes its status
    /// the run's; with an <paramref name="outcome"/>, also records it and the finish time (the transition's). A new
    /// statement (READ COMMITTED) sees every transition committed before the lock was granted, so seq never repeats.
    /// </summary>
    public static async Task AppendAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string runId, RunTransition transition, RunOutcome? outcome, CancellationToken cancellationToken)
    {
        var update = outcome is null
            ? "UPDATE runs SET status = $2 WHERE id = $1;"
            : "UPDATE runs SET status = $2, summary = $5, trades = $6, error = $7, finished_at = $3 WHERE id = $1;";
        await using var command = new NpgsqlCommand(
            $"""
            WITH appended AS (
                INSERT INTO run_transitions (run_id, seq, status, at, detail)
                SELECT $1, coalesce(max(seq), 0) + 1, $2, $3, $4 FROM run_transitions WHERE run_id = $1)
            {update}
            """,
            connection,
            transaction);
        command.Parameters.AddWithValue(runId);
        command.Parameters.AddWithValue(RunRules.Name(transition.Status));
        command.Parameters.AddWithValue(Time(transition.At));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)transition.Detail ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        if (outcome is not null)
        {
            command.Parameters.Add(Json(outcome.SummaryJson));
            command.Parameters.Add(Json(outcome.TradesJson));
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)outcome.Error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The run with that id, or null.</summary>
    public static async Task<RunRecord?> ReadOneAsync(NpgsqlConnection connection, string runId, string location, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"{Select} WHERE r.id = $1;", connection);
        command.Parameters.AddWithValue(runId);
        var runs = await ReadAsync(command, location, cancellationToken);
        return runs.Count == 0 ? null : runs[0];
    }

    /// <summary>The <paramref name="limit"/> newest runs: created_at descending, then id.</summary>
    public static async Task<IReadOnlyList<RunRecord>> ReadNewestAsync(NpgsqlConnection connection, int limit, string location, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""{Select} ORDER BY r.created_at DESC, r.id COLLATE "C" LIMIT $1;""", connection);
        command.Parameters.AddWithValue(limit);
        return await ReadAsync(command, location, cancellationToken);
    }

    private static async Task<IReadOnlyList<RunRecord>> ReadAsync(NpgsqlCommand command, string location, CancellationToken cancellationToken)
    {
        var runs = new List<RunRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetString(0);
            var status = Status(location, id, reader.GetString(4));
            var statuses = reader.GetFieldValue<string[]>(8);
            var times = reader.GetFieldValue<DateTime[]>(9);
            var details = reader.GetFieldValue<string?[]>(10);
            var transitions = new RunTransition[statuses.Length];
            for (var i = 0; i < transitions.Length; i++)
            {
                transitions[i] = new RunTransition(Status(location, id, statuses[i]), Instant(times[i]), details[i]);
            }

            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            runs.Add(new RunRecord(
                id,
                reader.GetString(1),
                Instant(reader.GetDateTime(2)),
                reader.GetString(3),
                status,
                transitions,
                RunRules.IsFinal(status) ? new RunOutcome(Text(5), Text(6), Text(7)) : null));
        }

        return runs;
    }

    /// <summary>The instant floored to the millisecond, as a UTC <see cref="DateTime"/> (what every store keeps).</summary>
    private static DateTime Time(DateTimeOffset at) => PgTime.ToDateTime(at.ToUnixTimeMilliseconds());

    private static DateTimeOffset Instant(DateTime utc) => DateTimeOffset.FromUnixTimeMilliseconds(PgTime.FromDateTime(utc));

    private static NpgsqlParameter Json(string? text) => new() { Value = (object?)text ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Json };

    private static RunStatus Status(string location, string runId, string name)
        => RunRules.Parse(name) ?? throw PostgresErrors.UnknownRunStatus(location, runId, name);
}
