using Gapless.Core.Model;
using Gapless.Core.Ports;

namespace Gapless.Testing.Fakes;

/// <summary>
/// A store held in memory with the same contract as the real ones (commits are atomic and idempotent), for engine
/// tests that are about the engine, and as the third voice in convergence tests. Counts commits so tests can see
/// what the engine wrote. Records runs too (<see cref="Runs"/>), as the real stores do. Thread-safe.
/// </summary>
public sealed class InMemoryMarketStore : IMarketStore, IRunStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Series, SortedDictionary<long, Bar>> _bars = [];
    private readonly Dictionary<Series, RangeSet> _coverage = [];
    private readonly List<(Series Series, QuarantinedBar Bar)> _quarantine = [];
    private readonly List<FetchLogEntry> _fetchLog = [];

    public int Commits { get; private set; }

    /// <summary>The runs recorded through this store's <see cref="IRunStore"/> members.</summary>
    public InMemoryRunStore Runs { get; } = new();

    public Task<RangeSet> GetCoverageAsync(Series series, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_coverage.GetValueOrDefault(series) ?? RangeSet.Empty);
        }
    }

    public Task<BarFrame> ReadAsync(Series series, TimeRange range, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var bars = _bars.TryGetValue(series, out var held)
                ? held.Values.Where(b => range.Contains(b.OpenTimeMs)).ToList()
                : [];
            return Task.FromResult(BarFrame.FromBars(bars));
        }
    }

    public Task<IReadOnlyList<SeriesSummary>> ListSeriesAsync(SeriesFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        lock (_gate)
        {
            IReadOnlyList<SeriesSummary> list = _coverage.Keys.Union(_bars.Keys).Distinct().Where(filter.Matches)
                .Select(s =>
                {
                    var bars = _bars.GetValueOrDefault(s);
                    return new SeriesSummary(
                        s,
                        _coverage.GetValueOrDefault(s) ?? RangeSet.Empty,
                        bars?.Count ?? 0,
                        bars is { Count: > 0 } ? bars.Keys.First() : null,
                        bars is { Count: > 0 } ? bars.Keys.Last() : null,
                        _quarantine.Count(q => q.Series == s));
                })
                .ToList();
            return Task.FromResult(list);
        }
    }

    public Task<IReadOnlyList<QuarantinedBar>> ReadQuarantineAsync(Series series, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<QuarantinedBar> list = _quarantine.Where(q => q.Series == series).Select(q => q.Bar).ToList();
            return Task.FromResult(list);
        }
    }

    public Task<IReadOnlyList<FetchLogEntry>> ReadFetchLogAsync(Series series, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<FetchLogEntry> list = _fetchLog.Where(e => e.Series == series).ToList();
            return Task.FromResult(list);
        }
    }

    public Task<CommitResult> CommitAsync(ChunkCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_bars.TryGetValue(commit.Series, out var held))
            {
                _bars[commit.Series] = held = [];
            }

            var stored = 0;
            foreach (var bar in commit.Bars)
            {
                if (held.TryAdd(bar.OpenTimeMs, bar))
                {
                    stored++;
                }
            }

            _coverage[commit.Series] = (_coverage.GetValueOrDefault(commit.Series) ?? RangeSet.Empty).Union(commit.Covered);
            _quarantine.AddRange(commit.Quarantined.Select(q => (commit.Series, q)));
            _fetchLog.AddRange(commit.Calls.Select(c => new FetchLogEntry(commit.Series, commit.Chunk, c)));
            Commits++;
            return Task.FromResult(new CommitResult(stored));
        }
    }

    public Task RecordFailureAsync(ChunkFailure failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failure);
        lock (_gate)
        {
            _fetchLog.AddRange(failure.Calls.Select(c => new FetchLogEntry(failure.Series, failure.Chunk, c)));
            return Task.CompletedTask;
        }
    }

    public Task CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default)
        => Runs.CreateRunAsync(run, cancellationToken);

    public Task TransitionAsync(string runId, RunTransition transition, CancellationToken cancellationToken = default)
        => Runs.TransitionAsync(runId, transition, cancellationToken);

    public Task FinishAsync(string runId, RunTransition final, RunOutcome outcome, CancellationToken cancellationToken = default)
        => Runs.FinishAsync(runId, final, outcome, cancellationToken);

    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(int limit = 100, CancellationToken cancellationToken = default)
        => Runs.ListRunsAsync(limit, cancellationToken);

    public Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
        => Runs.GetRunAsync(runId, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
