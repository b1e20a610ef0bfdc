using Gapless.Core.Model;

namespace Gapless.Core.Sync;

/// <summary>
/// One sync's cancellation scope. The first refusal that would fail every chunk (unknown symbol, ban, restricted
/// location) stops the run, and the chunks not yet attempted say why.
/// </summary>
internal sealed class SyncRun(CancellationToken callerToken) : IDisposable
{
    private readonly CancellationTokenSource _abort = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
    private string? _fatalReason;

    public CancellationToken Token => _abort.Token;

    public bool IsStopped => _abort.IsCancellationRequested;

    public void Stop(string reason)
    {
        Interlocked.CompareExchange(ref _fatalReason, reason, null);
        _abort.Cancel();
    }

    public ChunkOutcome Skipped(TimeRange chunk, int requests = 0)
        => new(chunk, ChunkStatus.Skipped, 0, 0, 0, requests, _fatalReason is null ? "cancelled" : $"not attempted: {_fatalReason}");

    public void Dispose() => _abort.Dispose();
}
