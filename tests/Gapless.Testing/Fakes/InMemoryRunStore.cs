using System.Text.Json;
using Gapless.Core.Errors;
using Gapless.Core.Ports;

namespace Gapless.Testing.Fakes;

/// <summary>
/// Runs held in memory with the same contract as the real stores (<c>RunStoreContract</c> runs against it): the same
/// argument rules, the same failures (unknown id, duplicate id, a finished run, invalid JSON) with the same wording,
/// times floored to the millisecond and read back in UTC, JSON kept as the exact text given. For engine tests.
/// Thread-safe. <see cref="InMemoryMarketStore"/> holds one, so one fake can serve as both stores, as the real ones do.
/// </summary>
public sealed class InMemoryRunStore : IRunStore
{
    private const string Location = "memory";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _runs = new(StringComparer.Ordinal);

    /// <summary>How many runs are held.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _runs.Count;
            }
        }
    }

    public Task CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        RunRules.Create(run);
        cancellationToken.ThrowIfCancellationRequested();
        CheckJson(run.RequestJson, "request");
        CheckOutcomeJson(run.Outcome);
        lock (_gate)
        {
            if (_runs.ContainsKey(run.Id))
            {
                throw new StoreException($"The store {Location} already holds a run '{run.Id}'; run ids are unique, nothing was written. Choose another id.");
            }

            _runs[run.Id] = new Entry(run with { CreatedAt = Ms(run.CreatedAt) }, [.. run.Transitions.Select(Normal)]);
        }

        return Task.CompletedTask;
    }

    public Task TransitionAsync(string runId, RunTransition transition, CancellationToken cancellationToken = default)
    {
        RunRules.Transition(runId, transition);

        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            Going(runId).Transitions.Add(Normal(transition));
        }

        return Task.CompletedTask;
    }

    public Task FinishAsync(string runId, RunTransition final, RunOutcome outcome, CancellationToken cancellationToken = default)
    {
        RunRules.Finish(runId, final, outcome);

        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var entry = Going(runId);
            CheckOutcomeJson(outcome);
            entry.Transitions.Add(Normal(final));
            entry.Outcome = outcome;
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        lock (_gate)
        {
            IReadOnlyList<RunRecord> list = _runs.Values
                .OrderByDescending(e => e.Run.CreatedAt)
                .ThenBy(e => e.Run.Id, StringComparer.Ordinal)
                .Take(limit)
                .Select(e => e.Snapshot())
                .ToList();
            return Task.FromResult(list);
        }
    }

    public Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        lock (_gate)
        {
            return Task.FromResult(_runs.TryGetValue(runId, out var entry) ? entry.Snapshot() : null);
        }
    }

    private static DateTimeOffset Ms(DateTimeOffset at) => DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());

    private static RunTransition Normal(RunTransition transition) => transition with { At = Ms(transition.At) };

    private static void CheckOutcomeJson(RunOutcome? outcome)
    {
        if (outcome?.SummaryJson is { } summary)
        {
            CheckJson(summary, "summary");
        }

        if (outcome?.TradesJson is { } trades)
        {
            CheckJson(trades, "trades");
        }
    }

    /// <summary>What the real stores' json columns do: refuse text that is not JSON.</summary>
    private static void CheckJson(string json, string what)
    {
        try
        {
            using var _ = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new StoreException($"The store {Location} rejected a value, nothing was written: the {what} is not JSON ({e.Message}).", e);
        }
    }

    private Entry Going(string runId)
    {
        if (!_runs.TryGetValue(runId, out var entry))
        {
            throw new StoreException($"The store {Location} has no run '{runId}'. List the runs it holds, or check the id.");
        }

        var status = entry.Transitions[^1].Status;
        if (RunRules.IsFinal(status))
        {
            throw new StoreException($"The run '{runId}' in the store {Location} is already {RunRules.Name(status)}; a finished run takes no more transitions, nothing was written.");
        }

        return entry;
    }

    private sealed class Entry(RunRecord run, List<RunTransition> transitions)
    {
        public RunRecord Run { get; } = run;

        public List<RunTransition> Transitions { get; } = transitions;

        public RunOutcome? Outcome { get; set; } = run.Outcome;

        public RunRecord Snapshot() => Run with { Status = Transitions[^1].Status, Transitions = [.. Transitions], Outcome = Outcome };
    }
}
