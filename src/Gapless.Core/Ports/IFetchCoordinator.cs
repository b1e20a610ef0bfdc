using Gapless.Core.Model;

namespace Gapless.Core.Ports;

/// <summary>
/// Decides which caller fetches each missing chunk, so every chunk is fetched once even when several callers (in
/// one process, or in many processes sharing a store) ask for overlapping ranges at once. A caller claims chunks a
/// few at a time, so workers asking for the same large range split it between them instead of racing.
/// Implementations: in one process, an in-memory table (<c>InProcessFetchCoordinator</c>); across processes, the
/// shared store's own locks and transactions (PostgreSQL). Thread-safe.
/// </summary>
public interface IFetchCoordinator
{
    /// <summary>
    /// Atomically for <paramref name="series"/> (across every caller of this coordinator): reads the store's
    /// coverage, subtracts the ranges live claims hold (the owner's own included), plans what remains with
    /// <paramref name="plan"/>, and claims at most <paramref name="maxChunks"/> of those chunks, earliest first,
    /// for <paramref name="owner"/>.
    /// </summary>
    /// <param name="owner">Identifies the claiming caller: one per sync, never shared.</param>
    /// <param name="series">The series.</param>
    /// <param name="wanted">The ranges the caller needs (already clipped at the finalization horizon).</param>
    /// <param name="plan">Cuts missing ranges into chunks (the provider's limits).</param>
    /// <param name="maxChunks">The most chunks to claim now.</param>
    /// <param name="cancellationToken">Cancels the claim.</param>
    Task<ClaimResult> ClaimAsync(
        Guid owner,
        Series series,
        RangeSet wanted,
        Func<RangeSet, IReadOnlyList<TimeRange>> plan,
        int maxChunks,
        CancellationToken cancellationToken = default);

    /// <summary>Ends <paramref name="owner"/>'s claim on <paramref name="chunk"/>: after its commit, or after it failed.</summary>
    Task ReleaseAsync(Guid owner, Series series, TimeRange chunk, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits until no live claim of another caller overlaps <paramref name="range"/>: each was released or its
    /// holder died. Coverage may still lack parts of it (the holder failed): the caller claims those next.
    /// </summary>
    /// <exception cref="Errors.StoreException">Claims are still held after <paramref name="timeout"/>.</exception>
    Task WaitForOthersAsync(Guid owner, Series series, RangeSet range, TimeSpan timeout, CancellationToken cancellationToken = default);
}

/// <summary>The outcome of a claim.</summary>
/// <param name="Missing">What <c>wanted</c> lacked from coverage at the claim (claimed or not).</param>
/// <param name="Claimed">The chunks now claimed by the caller, earliest first.</param>
/// <param name="HeldByOthers">The parts of <c>Missing</c> live claims of other callers hold.</param>
public sealed record ClaimResult(RangeSet Missing, IReadOnlyList<TimeRange> Claimed, RangeSet HeldByOthers);
