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

    /// <summary>
    /// When true, the last chunk of a requested range may run on past the range's end, up to one full request
    /// (never into coverage, into another caller's claim, or past the finalization horizon). That costs no extra
    /// request, and callers whose overlapping ranges end at different places then cut the same chunks, so together
    /// they make the minimum number of requests instead of one more per distinct end. Meant for stores shared by
    /// many workers; it fetches (and stores) bars nobody asked for yet. Default: false.
    /// </summary>
    public bool ExtendLastChunk { get; init; }
}
