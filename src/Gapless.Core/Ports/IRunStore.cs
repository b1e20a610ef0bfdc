namespace Gapless.Core.Ports;

/// <summary>
/// Where runs (backtests) are recorded, beside the data they ran on: the request, each status change with its time,
/// and the outcome. Both stores implement it. Payloads are JSON text the caller owns, so the store never needs to know
/// a strategy's parameters or a metric's name. Thread-safe.
/// </summary>
public interface IRunStore
{
    /// <summary>Records a new run; its <see cref="RunRecord.Transitions"/> hold at least the first status.</summary>
    /// <exception cref="Errors.StoreException">A run with that id exists, or the store cannot be written.</exception>
    Task CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default);

    /// <summary>Moves the run to a new status (appended to its transitions, with its time and an optional detail).</summary>
    /// <exception cref="Errors.StoreException">No run has that id.</exception>
    Task TransitionAsync(string runId, RunTransition transition, CancellationToken cancellationToken = default);

    /// <summary>Ends the run: its final status (completed or failed) and its outcome, in one transaction.</summary>
    /// <exception cref="Errors.StoreException">No run has that id.</exception>
    Task FinishAsync(string runId, RunTransition final, RunOutcome outcome, CancellationToken cancellationToken = default);

    /// <summary>The most recent runs first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<RunRecord>> ListRunsAsync(int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>The run with that id, or null.</summary>
    Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default);
}

/// <summary>Where a run is: <c>pending → fetching_data → running → completed | failed</c>.</summary>
public enum RunStatus
{
    Pending,
    FetchingData,
    Running,
    Completed,
    Failed,
}

/// <summary>A status a run entered, when (UTC), and an optional detail (progress, a reason).</summary>
public sealed record RunTransition(RunStatus Status, DateTimeOffset At, string? Detail = null);

/// <summary>What a run produced: JSON documents of its summary (metrics, data) and trades, or its error.</summary>
public sealed record RunOutcome(string? SummaryJson, string? TradesJson, string? Error);

/// <summary>A recorded run.</summary>
/// <param name="Id">Unique id (e.g. <c>bt-20241121-…</c>).</param>
/// <param name="Kind">What ran: <c>backtest</c>.</param>
/// <param name="CreatedAt">When it was recorded (UTC).</param>
/// <param name="RequestJson">What was asked, as JSON.</param>
/// <param name="Status">The current status (the last transition's).</param>
/// <param name="Transitions">Every status entered, in order.</param>
/// <param name="Outcome">Summary, trades or error once finished; null before.</param>
public sealed record RunRecord(
    string Id,
    string Kind,
    DateTimeOffset CreatedAt,
    string RequestJson,
    RunStatus Status,
    IReadOnlyList<RunTransition> Transitions,
    RunOutcome? Outcome);
