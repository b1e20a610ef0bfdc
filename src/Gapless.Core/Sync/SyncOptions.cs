namespace Gapless.Core.Sync;

/// <summary>Options of the <see cref="SyncEngine"/>.</summary>
public sealed class SyncOptions
{
    /// <summary>
    /// Upper bound on concurrent chunk fetches per provider, on top of the provider's own
    /// <see cref="Ports.ProviderCapabilities.MaxConcurrency"/> (the smaller wins). Default: 8.
    /// </summary>
    public int MaxConcurrency { get; init; } = 8;
}
