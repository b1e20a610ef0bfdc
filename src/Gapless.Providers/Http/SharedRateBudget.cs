using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;

namespace Gapless.Providers.Http;

/// <summary>
/// One vendor host's rate budget in the ledger shared by workers (<see cref="ISharedRateLimits"/>), as a client uses
/// it: one round trip before each request (spend, or wait as long as the ledger says and ask again), one after (the
/// used count the answer reports), one more on a 429 (pause every worker). Without a ledger every member does nothing.
/// Thread-safe.
/// </summary>
internal sealed class SharedRateBudget
{
    /// <summary>A shared pause longer than this fails requests at once rather than sleep through it.</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(5);

    private readonly ISharedRateLimits? _ledger;
    private readonly string _vendor;
    private readonly TimeProvider _time;

    /// <param name="ledger">The shared ledger, or null for none.</param>
    /// <param name="vendor">The vendor's name (<c>alpaca</c>): the key's prefix, and named in messages.</param>
    /// <param name="baseUrl">The host requests go to: each host has its own budget.</param>
    public SharedRateBudget(ISharedRateLimits? ledger, string vendor, Uri baseUrl, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        _ledger = ledger;
        _vendor = vendor;
        _time = timeProvider;
        Key = $"{vendor}:{baseUrl.Authority}";
    }

    /// <summary>The key of this host's budget in the ledger: the vendor, a colon, the base URL's host and port.</summary>
    public string Key { get; }

    /// <summary>
    /// Spends <paramref name="weight"/> of <paramref name="budget"/> (read again on every pass: it may be learnt
    /// meanwhile), waiting on this budget's clock while the ledger says to.
    /// </summary>
    /// <exception cref="VendorException">The ledger's pause lasts longer than <see cref="LongestWait"/>.</exception>
    public async ValueTask SpendAsync(int weight, Func<RateBudget> budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budget);
        if (_ledger is null)
        {
            return;
        }

        // Not a retry loop: each pass waits for the instant the ledger said the budget can next change, then asks
        // again (other workers may have taken the room meanwhile).
        while (true)
        {
            var wait = await ConsultAsync(() => _ledger.TrySpendAsync(Key, weight, budget(), cancellationToken), cancellationToken).ConfigureAwait(false);
            if (wait <= TimeSpan.Zero)
            {
                return;
            }

            if (wait > LongestWait)
            {
                var until = _time.GetUtcNow() + wait;
                throw new VendorException(
                    _vendor, VendorErrorKind.RateLimited,
                    $"{_vendor} ({Key}) is paused for every worker sharing its rate budget until {UtcTime.ToIso(until.ToUnixTimeMilliseconds())}; no request is sent before then",
                    retryAfter: wait);
            }

            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Raises the ledger's count to what the vendor reports as <paramref name="used"/>. Skipped when the answer came
    /// in a later window than the request was sent in: its count belongs to the window that ended.
    /// </summary>
    public async ValueTask ObserveUsedAsync(int used, RateBudget budget, DateTimeOffset sentAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var windowMs = (long)budget.Window.TotalMilliseconds;
        if (_ledger is null || windowMs <= 0
            || sentAt.ToUnixTimeMilliseconds() / windowMs != _time.GetUtcNow().ToUnixTimeMilliseconds() / windowMs)
        {
            return;
        }

        await ConsultAsync(
            async () =>
            {
                await _ledger.ObserveUsedAsync(Key, budget, used, cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops every worker from sending to this host until <paramref name="until"/>.</summary>
    public async ValueTask PauseAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        if (_ledger is null)
        {
            return;
        }

        await ConsultAsync(
            async () =>
            {
                await _ledger.PauseAsync(Key, until, cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs one call to the ledger. Its own errors (a <see cref="GaplessException"/> such as the store's) pass as they
    /// are; anything else fails the request with a message naming the shared budget, never lets it go out uncounted.
    /// </summary>
    private async Task<T> ConsultAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not GaplessException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            throw new GaplessException($"{_vendor} ({Key}): the shared rate budget failed ({e.Message}), so nothing is sent", e);
        }
    }
}
