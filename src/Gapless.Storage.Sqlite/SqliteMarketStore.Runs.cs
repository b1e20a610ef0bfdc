using Gapless.Core.Ports;
using Gapless.Storage.Sqlite.Internal;
using Microsoft.Data.Sqlite;

namespace Gapless.Storage.Sqlite;

// SqliteMarketStore, in part: runs (tables runs and run_transitions, schema version 3).
public sealed partial class SqliteMarketStore : IRunStore
{
    /// <inheritdoc />
    /// <remarks>
    /// The run row and its transitions are written in one transaction. Times are kept to the millisecond and read
    /// back in UTC; JSON payloads are kept as the exact text given, and must be valid JSON.
    /// </remarks>
    public Task CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        RunRules.Create(run);
        return WriteRunAsync(
            async (connection, transaction) =>
            {
                if (!await RunRows.InsertAsync(connection, transaction, run, cancellationToken))
                {
                    throw SqliteErrors.RunExists(Path, run.Id);
                }
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>A run that has ended (completed or failed) takes no more transitions: that fails too.</remarks>
    public Task TransitionAsync(string runId, RunTransition transition, CancellationToken cancellationToken = default)
    {
        RunRules.Transition(runId, transition);
        return WriteRunAsync(
            async (connection, transaction) =>
            {
                await EnsureRunGoingAsync(connection, transaction, runId, cancellationToken);
                await RunRows.AppendAsync(connection, transaction, runId, transition, null, cancellationToken);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>A run is finished once: finishing it again fails and changes nothing.</remarks>
    public Task FinishAsync(string runId, RunTransition final, RunOutcome outcome, CancellationToken cancellationToken = default)
    {
        RunRules.Finish(runId, final, outcome);
        return WriteRunAsync(
            async (connection, transaction) =>
            {
                await EnsureRunGoingAsync(connection, transaction, runId, cancellationToken);
                await RunRows.AppendAsync(connection, transaction, runId, final, outcome, cancellationToken);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Newest first: created_at descending, then id ascending. Each run comes with every transition and its outcome.</remarks>
    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return ReadAsync(
            async connection =>
            {
                using var transaction = connection.BeginTransaction(deferred: true);
                return await RunRows.ReadAsync(connection, transaction, null, limit, Path, cancellationToken);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        return ReadAsync(
            async connection =>
            {
                using var transaction = connection.BeginTransaction(deferred: true);
                var runs = await RunRows.ReadAsync(connection, transaction, runId, 1, Path, cancellationToken);
                return runs.Count == 0 ? null : runs[0];
            },
            cancellationToken);
    }

    private async Task EnsureRunGoingAsync(SqliteConnection connection, SqliteTransaction transaction, string runId, CancellationToken cancellationToken)
    {
        var status = await RunRows.StatusAsync(connection, transaction, runId, cancellationToken) ?? throw SqliteErrors.NoRun(Path, runId);
        if (RunRules.Parse(status) is not { } known)
        {
            throw SqliteErrors.UnknownRunStatus(Path, runId, status);
        }

        if (RunRules.IsFinal(known))
        {
            throw SqliteErrors.RunFinished(Path, runId, status);
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> in one <c>BEGIN IMMEDIATE</c> transaction on a pooled connection, after this
    /// process's other writers (the write gate) and holding the file's write lock against other processes'. Runs are a
    /// few small rows, so they do not use the commit writer's connection; its cache sees their commits through
    /// <c>PRAGMA data_version</c> and is dropped once, which costs one re-read.
    /// </summary>
    private async Task WriteRunAsync(Func<SqliteConnection, SqliteTransaction, Task> body, CancellationToken cancellationToken)
        => await WriteAsync(
            async () =>
            {
                await using var connection = await _connections.OpenAsync(cancellationToken);
                using var transaction = connection.BeginTransaction(deferred: false);
                await body(connection, transaction);
                cancellationToken.ThrowIfCancellationRequested();
                transaction.Commit();
                return true;
            },
            cancellationToken);
}
