using Gapless.Core.Ports;
using Gapless.Storage.Postgres.Internal;

namespace Gapless.Storage.Postgres;

// PostgresMarketStore, in part: runs (tables runs and run_transitions, schema version 4).
public sealed partial class PostgresMarketStore : IRunStore
{
    /// <inheritdoc />
    /// <remarks>
    /// The run row and its transitions are written in one statement. Times are kept to the millisecond and read back
    /// in UTC; JSON payloads are kept as the exact text given (column type <c>json</c>), and must be valid JSON.
    /// </remarks>
    public Task CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        RunRules.Create(run);
        return RunAsync(
            async () =>
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
                return await RunRows.InsertAsync(connection, run, cancellationToken) ? true : throw PostgresErrors.RunExists(Location, run.Id);
            });
    }

    /// <inheritdoc />
    /// <remarks>
    /// A run that has ended (completed or failed) takes no more transitions: that fails too. Transitions of one run
    /// from many sessions at once are all kept, numbered in the order they commit.
    /// </remarks>
    public Task TransitionAsync(string runId, RunTransition transition, CancellationToken cancellationToken = default)
    {
        RunRules.Transition(runId, transition);
        return AppendRunAsync(runId, transition, null, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>A run is finished once: finishing it again fails and changes nothing.</remarks>
    public Task FinishAsync(string runId, RunTransition final, RunOutcome outcome, CancellationToken cancellationToken = default)
    {
        RunRules.Finish(runId, final, outcome);
        return AppendRunAsync(runId, final, outcome, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Newest first: created_at descending, then id ascending. Each run comes with every transition and its outcome.</remarks>
    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return ReadAsync(connection => RunRows.ReadNewestAsync(connection, limit, Location, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        return ReadAsync(connection => RunRows.ReadOneAsync(connection, runId, Location, cancellationToken), cancellationToken);
    }

    /// <summary>Locks the run, checks it is still going, appends the transition (and the outcome, when finishing), in one transaction.</summary>
    private Task<bool> AppendRunAsync(string runId, RunTransition transition, RunOutcome? outcome, CancellationToken cancellationToken)
        => RunAsync(
            async () =>
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var status = await RunRows.LockAsync(connection, transaction, runId, cancellationToken) ?? throw PostgresErrors.NoRun(Location, runId);
                var known = RunRules.Parse(status) ?? throw PostgresErrors.UnknownRunStatus(Location, runId, status);
                if (RunRules.IsFinal(known))
                {
                    throw PostgresErrors.RunFinished(Location, runId, status);
                }

                await RunRows.AppendAsync(connection, transaction, runId, transition, outcome, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return true;
            });
}
