namespace Gapless.Core.Ports;

/// <summary>
/// A vendor's rate budget shared by every worker that uses one store (PostgreSQL keeps it), so workers together stay
/// inside the vendor's limit, and a 429 seen by one pauses all of them until its Retry-After. A provider consults it
/// before every request, on top of its own in-process limiter. Windows are aligned like the vendor's (a minute
/// window starts at :00) on the store's clock. Thread-safe.
/// </summary>
public interface ISharedRateLimits
{
    /// <summary>
    /// Spends <paramref name="weight"/> of <paramref name="budget"/> in the current window for
    /// <paramref name="vendor"/> when it fits and no pause is in force: returns <see cref="TimeSpan.Zero"/>.
    /// Otherwise spends nothing and returns how long to wait before asking again (to the window's end, or the
    /// pause's).
    /// </summary>
    Task<TimeSpan> TrySpendAsync(string vendor, int weight, RateBudget budget, CancellationToken cancellationToken = default);

    /// <summary>
    /// Raises the current window's count to what the vendor says was used (its headers), never lowers it, so every
    /// worker sees weight spent by requests the ledger did not count.
    /// </summary>
    Task ObserveUsedAsync(string vendor, RateBudget budget, int used, CancellationToken cancellationToken = default);

    /// <summary>Stops every worker from sending to <paramref name="vendor"/> until <paramref name="until"/> (a 429's Retry-After, a 418 ban).</summary>
    Task PauseAsync(string vendor, DateTimeOffset until, CancellationToken cancellationToken = default);
}
