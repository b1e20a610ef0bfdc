using Gapless.Core.Model;

namespace Gapless.Core.Sync;

/// <summary>Counts finished chunks across concurrent tasks and reports each step. Thread-safe.</summary>
internal sealed class ProgressTracker(Series series, int total, IProgress<SyncProgress>? progress)
{
    private readonly Lock _gate = new();
    private int _done;
    private int _failed;
    private int _requests;
    private long _bars;

    public void ChunkDone(ChunkOutcome outcome)
    {
        SyncProgress snapshot;
        lock (_gate)
        {
            _done++;
            _requests += outcome.Requests;
            _bars += outcome.Shared ? 0 : outcome.BarsFetched;
            _failed += outcome.Succeeded ? 0 : 1;
            snapshot = new SyncProgress(series, _done, total, _bars, _requests, _failed);
        }

        progress?.Report(snapshot);
    }
}
