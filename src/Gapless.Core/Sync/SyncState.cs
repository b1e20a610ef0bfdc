using Gapless.Core.Model;

namespace Gapless.Core.Sync;

/// <summary>
/// What one sync's workers share: the outcomes so far, the ranges that failed (not claimed again in this sync,
/// so a failing vendor is not hammered), and progress. Thread-safe.
/// </summary>
internal sealed class SyncState(Series series, RangeSet wanted, int chunksPlanned, IProgress<SyncProgress>? progress)
{
    private readonly Lock _gate = new();
    private readonly List<ChunkOutcome> _outcomes = [];
    private RangeSet _given = RangeSet.Empty;
    private int _done;
    private int _failed;
    private int _requests;
    private long _bars;

    /// <summary>The wanted ranges minus those this sync has given up on.</summary>
    public RangeSet StillWanted
    {
        get
        {
            lock (_gate)
            {
                return wanted.Subtract(_given);
            }
        }
    }

    /// <summary>Progress also moves when others (sharing the store) complete chunks this sync needed.</summary>
    public void SawMissing(int chunksStillMissing)
    {
        lock (_gate)
        {
            _done = Math.Max(_done, chunksPlanned - chunksStillMissing);
        }
    }

    public void Record(ChunkOutcome outcome)
    {
        SyncProgress snapshot;
        lock (_gate)
        {
            _outcomes.Add(outcome);
            if (!outcome.Succeeded)
            {
                _given = _given.Union(outcome.Chunk);
                _failed++;
            }

            _done = Math.Min(chunksPlanned, _done + 1);
            _requests += outcome.Requests;
            _bars += outcome.BarsFetched;
            snapshot = new SyncProgress(series, _done, chunksPlanned, _bars, _requests, _failed);
        }

        progress?.Report(snapshot);
    }

    /// <summary>
    /// Every chunk of the report: the ones this sync fetched or failed, the ones others fetched for it (shared),
    /// and, when a refusal stopped the run, the ones never attempted.
    /// </summary>
    public IReadOnlyList<ChunkOutcome> Outcomes(RangeSet missingBefore, RangeSet coverage, SyncRun run, Func<RangeSet, IReadOnlyList<TimeRange>> plan)
    {
        lock (_gate)
        {
            var all = new List<ChunkOutcome>(_outcomes);
            var ours = RangeSet.Of(_outcomes.Select(o => o.Chunk));
            foreach (var shared in missingBefore.Intersect(coverage).Subtract(ours))
            {
                all.Add(new ChunkOutcome(shared, ChunkStatus.Fetched, 0, 0, 0, 0, Shared: true));
            }

            if (run.IsStopped)
            {
                all.AddRange(plan(missingBefore.Subtract(coverage).Subtract(ours)).Select(c => run.Skipped(c)));
            }

            return [.. all.OrderBy(o => o.Chunk.FromMs)];
        }
    }
}
