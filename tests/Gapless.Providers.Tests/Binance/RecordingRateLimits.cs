using Gapless.Core.Ports;

namespace Gapless.Providers.Tests.Binance;

/// <summary>A shared rate ledger that records what a provider asks of it and answers as the test says.</summary>
internal sealed class RecordingRateLimits : ISharedRateLimits
{
    private readonly Lock _gate = new();
    private readonly List<string> _calls = [];
    private readonly Queue<TimeSpan> _waits = new();

    /// <summary>Thrown by every call when set.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Thrown by reports of used weight when set.</summary>
    public Exception? ObserveFailure { get; set; }

    /// <summary>Every call, in order: <c>spend binance:host 20 5940/00:01:00</c>, <c>observe …</c>, <c>pause …</c>.</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public List<(string Vendor, DateTimeOffset Until)> Pauses { get; } = [];

    /// <summary>The answers of the next spends (zero once they run out).</summary>
    public void AnswerSpendsWith(params TimeSpan[] waits)
    {
        lock (_gate)
        {
            foreach (var wait in waits)
            {
                _waits.Enqueue(wait);
            }
        }
    }

    public Task<TimeSpan> TrySpendAsync(string vendor, int weight, RateBudget budget, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Record($"spend {vendor} {weight} {budget.Weight}/{budget.Window}");
            return Task.FromResult(_waits.TryDequeue(out var wait) ? wait : TimeSpan.Zero);
        }
    }

    public Task ObserveUsedAsync(string vendor, RateBudget budget, int used, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Record($"observe {vendor} {used} per {budget.Window}");
            return ObserveFailure is { } failure ? throw failure : Task.CompletedTask;
        }
    }

    public Task PauseAsync(string vendor, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Record($"pause {vendor}");
            Pauses.Add((vendor, until));
            return Task.CompletedTask;
        }
    }

    // Caller holds _gate.
    private void Record(string call)
    {
        _calls.Add(call);
        if (Failure is { } failure)
        {
            throw failure;
        }
    }
}
