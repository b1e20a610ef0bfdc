
namespace Gapless.Core.Ports;

/// <summary>
/// The rules of <see cref="IRunStore"/> arguments, checked before any I/O, and the snake_case names statuses have in
/// the <c>runs</c> and <c>run_transitions</c> tables. Every <see cref="IRunStore"/> checks its arguments with these, so
/// the stores agree; the run-store contract suite holds them to it.
/// </summary>
public static class RunRules
{
    public static bool IsFinal(RunStatus status) => status is RunStatus.Completed or RunStatus.Failed;

    public static string Name(RunStatus status) => status switch
    {
        RunStatus.Pending => "pending",
        RunStatus.FetchingData => "fetching_data",
        RunStatus.Running => "running",
        RunStatus.Completed => "completed",
        RunStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown run status"),
    };

    public static RunStatus? Parse(string name) => name switch
    {
        "pending" => RunStatus.Pending,
        "fetching_data" => RunStatus.FetchingData,
        "running" => RunStatus.Running,
        "completed" => RunStatus.Completed,
        "failed" => RunStatus.Failed,
        _ => null,
    };

    /// <summary>A new run: an id and a kind, its request, at least one transition whose last is its status, an outcome exactly when it has ended.</summary>
    public static void Create(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentException.ThrowIfNullOrWhiteSpace(run.Id, nameof(run));
        ArgumentException.ThrowIfNullOrWhiteSpace(run.Kind, nameof(run));
        ArgumentNullException.ThrowIfNull(run.RequestJson, nameof(run));
        if (run.Transitions is not { Count: > 0 } transitions)
        {
            throw new ArgumentException($"run '{run.Id}' must hold at least its first transition", nameof(run));
        }

        for (var i = 0; i < transitions.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(transitions[i], nameof(run));
            _ = Name(transitions[i].Status);
            if (i < transitions.Count - 1 && IsFinal(transitions[i].Status))
            {
                throw new ArgumentException($"run '{run.Id}': transition {i + 1} ({Name(transitions[i].Status)}) ends the run, so it must be the last", nameof(run));
            }
        }

        if (run.Status != transitions[^1].Status)
        {
            throw new ArgumentException($"run '{run.Id}': status ({Name(run.Status)}) must be its last transition's ({Name(transitions[^1].Status)})", nameof(run));
        }

        if ((run.Outcome is not null) != IsFinal(run.Status))
        {
            throw new ArgumentException($"run '{run.Id}': an outcome is given exactly when the run has ended (status {Name(run.Status)})", nameof(run));
        }
    }

    /// <summary>A transition of a run still going: completed and failed end a run, through FinishAsync only.</summary>
    public static void Transition(string runId, RunTransition transition)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentNullException.ThrowIfNull(transition);
        if (IsFinal(transition.Status))
        {
            throw new ArgumentException($"a transition to {Name(transition.Status)} ends run '{runId}': use FinishAsync, with its outcome", nameof(transition));
        }
    }

    /// <summary>The end of a run: completed or failed, with its outcome.</summary>
    public static void Finish(string runId, RunTransition final, RunOutcome outcome)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentNullException.ThrowIfNull(final);
        ArgumentNullException.ThrowIfNull(outcome);
        if (!IsFinal(final.Status))
        {
            throw new ArgumentException($"run '{runId}' ends completed or failed, not {Name(final.Status)}", nameof(final));
        }
    }
}
