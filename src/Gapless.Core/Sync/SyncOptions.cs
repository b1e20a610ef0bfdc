namespace Gapless.Core.Sync;

/// <summary>Options of the <see cref="SyncEngine"/>.</summary>
public sealed class SyncOptions
{
    /// <summary>
    /// Upper bound on concurrent chunk fetches per sync, on top of the provider's own
    /// <see cref="Ports.ProviderCapabilities.MaxConcurrency"/> (the smaller wins). Default: 8.
    /// </summary>
    public int MaxConcurrency { get; init; } = 8;

    /// <summary>
    /// How long to wait for another caller (in this process or, on a shared store, another worker) that is fetching
    /// a chunk this sync needs, before giving up on that chunk with a clear error. Default: 10 minutes.
    /// </summary>
    public TimeSpan SharedChunkTimeout { get; init; } = TimeSpan.FromMinutes(10);
}
