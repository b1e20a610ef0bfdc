using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;

namespace Gapless.Providers.Binance;

/// <summary>
/// The rate budget shared with other workers (<see cref="BinanceOptions.SharedRateLimits"/>): one round trip to it
/// before each request (spend, or wait as long as it says and ask again), one after (the used weight the answer
/// reports), one more on a 429 or 418 (pause every worker). Without it, these do nothing.
/// </summary>
internal sealed partial class BinanceClient
{
    /// <summary>A shared pause longer than this is a ban: requests fail at once rather than sleep through it.</summary>
    private static readonly TimeSpan LongestSharedWait = TimeSpan.FromMinutes(5);

    private readonly ISharedRateLimits? _shared;

    /// <summary>The key of this host's budget in the shared ledger: <c>binance:</c> plus the base URL's host and port.</summary>
    public string SharedKey { get; }

    /// <summary>
    /// Spends <paramref name="weight"/> in the shared budget, waiting on this client's clock while the ledger says to.
    /// The budget is Binance's limit less the safety margin, as in the in-process limiter, and likewise never blocks a
    /// lone request in an empty window.
    /// </summary>
    private async ValueTask SpendSharedAsync(int weight, CancellationToken cancellationToken)
    {
        if (_shared is null)
        {
            return;
        }

        // Not a retry loop: each pass waits for the instant the ledger said the budget can next change, then asks
        // again (other workers may have taken the room meanwhile).
        while (true)
        {
            var limit = _weightLimit;
            var budget = new RateBudget(Math.Max(limit.Limit - _options.SafetyMarginWeight, weight), limit.Window);
            var wait = await ConsultAsync(() => _shared.TrySpendAsync(SharedKey, weight, budget, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (wait <= TimeSpan.Zero)
            {
                return;
            }

            if (wait > LongestSharedWait)
            {
                var until = _time.GetUtcNow() + wait;
                throw new VendorException(
                    BinanceErrors.Vendor, VendorErrorKind.Banned,
                    $"binance ({SharedKey}) is paused for every worker sharing its rate budget until {UtcTime.ToIso(until.ToUnixTimeMilliseconds())} (a ban one of them received); no request is sent before then",
                    retryAfter: wait);
            }

            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Corrects both limiters from the weight Binance reports. Skipped when the answer came in a later window than
    /// the request was sent in: its count belongs to the window that ended, and would fill the new one.
    /// </summary>
    private async ValueTask ObserveUsedWeightAsync(int? used, DateTimeOffset sentAt, CancellationToken cancellationToken)
    {
        if (used is not { } weight)
        {
            return;
        }

        Limiter.ObserveUsedWeight(weight, sentAt);
        var limit = _weightLimit;
        var windowMs = (long)limit.Window.TotalMilliseconds;
        if (_shared is null || sentAt.ToUnixTimeMilliseconds() / windowMs != _time.GetUtcNow().ToUnixTimeMilliseconds() / windowMs)
        {
            return;
        }

        var budget = new RateBudget(limit.Limit, limit.Window);
        await ConsultAsync(
            async () =>
            {
                await _shared.ObserveUsedAsync(SharedKey, budget, weight, cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask PauseSharedAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        if (_shared is null)
        {
            return;
        }

        await ConsultAsync(
            async () =>
            {
                await _shared.PauseAsync(SharedKey, until, cancellationToken).ConfigureAwait(false);
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
            throw new GaplessException($"binance ({SharedKey}): the shared rate budget failed ({e.Message}), so nothing is sent", e);
        }
    }
}
