using Gapless.Core.Ports;
using Microsoft.Data.Sqlite;

namespace Gapless.Storage.Sqlite.Internal;

/// <summary>
/// The SQL of the <c>runs</c> and <c>run_transitions</c> tables. Writers run inside one <c>BEGIN IMMEDIATE</c>
/// transaction, so they hold the file's write lock throughout: reading a run's status and its last <c>seq</c> and
/// then writing the next are never interleaved with another writer's, in this process or another. Times are kept as
/// epoch milliseconds (UTC); JSON payloads as the exact text given.
/// </summary>
internal static class RunRows
{
    private const string Columns = "id, kind, created_at_ms, request, status, summary, trades, error";

    /// <summary>Inserts the run and its transitions (seq 1, 2, …); false, writing nothing, when the id is taken.</summary>
    public static async Task<bool> InsertAsync(SqliteConnection connection, SqliteTransaction transaction, RunRecord run, CancellationToken cancellationToken)
    {
        using (var command = Db.Command(
            connection,
            transaction,
            """
            INSERT INTO runs (id, kind, created_at_ms, request, status, summary, trades, error, finished_at_ms)
            VALUES ($id, $kind, $created, $request, $status, $summary, $trades, $error, $finished)
            ON CONFLICT (id) DO NOTHING;
            """))
        {
            command.Parameters.AddWithValue("$id", run.Id);
            command.Parameters.AddWithValue("$kind", run.Kind);
            command.Parameters.AddWithValue("$created", run.CreatedAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$request", run.RequestJson);
            command.Parameters.AddWithValue("$status", RunRules.Name(run.Status));
            command.Parameters.AddWithValue("$summary", Db.Nullable(run.Outcome?.SummaryJson));
            command.Parameters.AddWithValue("$trades", Db.Nullable(run.Outcome?.TradesJson));
            command.Parameters.AddWithValue("$error", Db.Nullable(run.Outcome?.Error));
            command.Parameters.AddWithValue("$finished", run.Outcome is null ? DBNull.Value : run.Transitions[^1].At.ToUnixTimeMilliseconds());
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }
        }

        using var insert = TransitionInsert(connection, transaction, run.Id, out var seq, out var status, out var at, out var detail);
        for (var i = 0; i < run.Transitions.Count; i++)
        {
            Bind(run.Transitions[i], i + 1, seq, status, at, detail);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        return true;
    }

    /// <summary>The run's current status name, or null when there is no such run.</summary>
    public static async Task<string?> StatusAsync(SqliteConnection connection, SqliteTransaction transaction, string runId, CancellationToken cancellationToken)
    {
        using var command = Db.Command(connection, transaction, "SELECT status FROM runs WHERE id = $id;");
        command.Parameters.AddWithValue("$id", runId);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>
    /// Appends <paramref name="transition"/> as the run's next seq and makes its status the run's; with an
    /// <paramref name="outcome"/>, also records it and the finish time (the transition's), in the same update.
    /// </summary>
    public static async Task AppendAsync(
        SqliteConnection connection, SqliteTransaction transaction, string runId, RunTransition transition, RunOutcome? outcome, CancellationToken cancellationToken)
    {
        long next;
        using (var max = Db.Command(connection, transaction, "SELECT coalesce(max(seq), 0) + 1 FROM run_transitions WHERE run_id = $id;"))
        {
            max.Parameters.AddWithValue("$id", runId);
            next = (long)(await max.ExecuteScalarAsync(cancellationToken))!;
        }

        using (var insert = TransitionInsert(connection, transaction, runId, out var seq, out var status, out var at, out var detail))
        {
            Bind(transition, next, seq, status, at, detail);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        using var update = Db.Command(
            connection,
            transaction,
            outcome is null
                ? "UPDATE runs SET status = $status WHERE id = $id;"
                : "UPDATE runs SET status = $status, summary = $summary, trades = $trades, error = $error, finished_at_ms = $finished WHERE id = $id;");
        update.Parameters.AddWithValue("$id", runId);
        update.Parameters.AddWithValue("$status", RunRules.Name(transition.Status));
        if (outcome is not null)
        {
            update.Parameters.AddWithValue("$summary", Db.Nullable(outcome.SummaryJson));
            update.Parameters.AddWithValue("$trades", Db.Nullable(outcome.TradesJson));
            update.Parameters.AddWithValue("$error", Db.Nullable(outcome.Error));
            update.Parameters.AddWithValue("$finished", transition.At.ToUnixTimeMilliseconds());
        }

        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The run with <paramref name="runId"/> (or, when null, the <paramref name="limit"/> newest: created_at
    /// descending, then id), each with every transition in order. Call inside a read transaction, so runs and
    /// transitions come from one snapshot.
    /// </summary>
    public static async Task<IReadOnlyList<RunRecord>> ReadAsync(
        SqliteConnection connection, SqliteTransaction transaction, string? runId, int limit, string path, CancellationToken cancellationToken)
    {
        var selected = runId is null
            ? "SELECT id FROM runs ORDER BY created_at_ms DESC, id LIMIT $limit"
            : "SELECT id FROM runs WHERE id = $id";
        var transitions = new Dictionary<string, List<RunTransition>>(StringComparer.Ordinal);
        using (var command = Db.Command(
            connection,
            transaction,
            $"SELECT run_id, status, at_ms, detail FROM run_transitions WHERE run_id IN ({selected}) ORDER BY run_id, seq;"))
        {
            AddSelection(command, runId, limit);
            using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetString(0);
                if (!transitions.TryGetValue(id, out var list))
                {
                    transitions[id] = list = [];
                }

                list.Add(new RunTransition(
                    Status(path, id, reader.GetString(1)),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                    reader.IsDBNull(3) ? null : reader.GetString(3)));
            }
        }

        var runs = new List<RunRecord>();
        using (var command = Db.Command(
            connection,
            transaction,
            runId is null
                ? $"SELECT {Columns} FROM runs ORDER BY created_at_ms DESC, id LIMIT $limit;"
                : $"SELECT {Columns} FROM runs WHERE id = $id;"))
        {
            AddSelection(command, runId, limit);
            using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetString(0);
                var status = Status(path, id, reader.GetString(4));
                string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
                runs.Add(new RunRecord(
                    id,
                    reader.GetString(1),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                    reader.GetString(3),
                    status,
                    transitions.TryGetValue(id, out var list) ? list : [],
                    RunRules.IsFinal(status) ? new RunOutcome(Text(5), Text(6), Text(7)) : null));
            }
        }

        return runs;
    }

    private static SqliteCommand TransitionInsert(
        SqliteConnection connection, SqliteTransaction transaction, string runId, out SqliteParameter seq, out SqliteParameter status, out SqliteParameter at, out SqliteParameter detail)
    {
        var command = Db.Command(
            connection,
            transaction,
            "INSERT INTO run_transitions (run_id, seq, status, at_ms, detail) VALUES ($id, $seq, $status, $at, $detail);");
        command.Parameters.AddWithValue("$id", runId);
        seq = Db.Parameter(command, "$seq", SqliteType.Integer);
        status = Db.Parameter(command, "$status", SqliteType.Text);
        at = Db.Parameter(command, "$at", SqliteType.Integer);
        detail = Db.Parameter(command, "$detail", SqliteType.Text);
        return command;
    }

    private static void Bind(RunTransition transition, long number, SqliteParameter seq, SqliteParameter status, SqliteParameter at, SqliteParameter detail)
    {
        seq.Value = number;
        status.Value = RunRules.Name(transition.Status);
        at.Value = transition.At.ToUnixTimeMilliseconds();
        detail.Value = Db.Nullable(transition.Detail);
    }

    private static void AddSelection(SqliteCommand command, string? runId, int limit)
    {
        if (runId is null)
        {
            command.Parameters.AddWithValue("$limit", limit);
        }
        else
        {
            command.Parameters.AddWithValue("$id", runId);
        }
    }

    private static RunStatus Status(string path, string runId, string name)
        => RunRules.Parse(name) ?? throw SqliteErrors.UnknownRunStatus(path, runId, name);
}
