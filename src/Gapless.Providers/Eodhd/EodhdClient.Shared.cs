using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;

namespace Gapless.Providers.Eodhd;

/// <summary>
/// The rate budgets shared with other workers (<see cref="EodhdOptions.SharedRateLimits"/>), both under one key:
/// the daily allowance (5 calls a request, a one-day window that starts at midnight UTC, as EODHD's does) and the
/// minute limit (one request, a one-minute window). Before each request: spend both, or wait as long as the ledger
/// says and ask again; after it: the used requests EODHD reports; on a 429 or a used-up allowance: pause every
/// worker. Without a ledger, these do nothing.
/// </summary>
internal sealed partial class EodhdClient
{
    /// <summary>A shared wait longer than this means the allowance is gone for the day: requests fail at once rather than sleep.</summary>
    private static readonly TimeSpan LongestSharedWait = TimeSpan.FromMinutes(5);

    private readonly ISharedRateLimits? _shared;

    /// <summary>The key of this host's budgets in the shared ledger: <c>eodhd:</c> plus the base URL's host and port.</summary>
    public string SharedKey { get; }

    private RateBudget SharedDailyBudget => new(_options.DailyAllowance, Day);

    private RateBudget SharedMinuteBudget
        => new(Math.Max(_options.MinuteRequestLimit - _options.SafetyMarginRequests, 1), TimeSpan.FromMinutes(1));

    private async ValueTask SpendSharedAsync(CancellationToken cancellationToken)
    {
        if (_shared is null)
        {
            return;
        }

        await SpendSharedAsync(EodhdRequest.CallsPerRequest, SharedDailyBudget, cancellationToken).ConfigureAwait(false);
        await SpendSharedAsync(1, SharedMinuteBudget, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask SpendSharedAsync(int weight, RateBudget budget, CancellationToken cancellationToken)
    {
        // Not a retry loop: each pass waits for the instant the ledger said the budget can next change, then asks
        // again (other workers may have taken the room meanwhile).
        while (true)
        {
            var wait = await ConsultAsync(() => _shared!.TrySpendAsync(SharedKey, weight, budget, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (wait <= TimeSpan.Zero)
            {
                return;
            }

            if (wait > LongestSharedWait)
            {
                var now = _time.GetUtcNow();
                var until = now + wait;
                throw new VendorException(
                    EodhdErrors.Vendor, VendorErrorKind.Banned,
                    $"eodhd ({SharedKey}) is paused for every worker sharing its rate budget until {UtcTime.ToIso(until.ToUnixTimeMilliseconds())} "
                    + $"(the daily allowance of {_options.DailyAllowance} API calls is used up until midnight UTC, or one of them was told to wait); "
                    + "nothing is sent to eodhd before then",
                    retryAfter: wait);
            }

            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Corrects both minute limiters from the requests EODHD reports. Skipped for the ledger when the answer came in a
    /// later minute than the request was sent in: its count belongs to the window that ended.
    /// </summary>
    private async ValueTask ObserveUsedAsync(int? used, DateTimeOffset sentAt, CancellationToken cancellationToken)
    {
        if (used is not { } requests)
        {
            return;
        }

        MinuteLimiter.ObserveUsedWeight(requests, sentAt);
        const long minuteMs = 60_000;
        if (_shared is null || sentAt.ToUnixTimeMilliseconds() / minuteMs != _time.GetUtcNow().ToUnixTimeMilliseconds() / minuteMs)
        {
            return;
        }

        var budget = new RateBudget(_options.MinuteRequestLimit, TimeSpan.FromMinutes(1));
        await ConsultAsync(
            async () =>
            {
                await _shared.ObserveUsedAsync(SharedKey, budget, requests, cancellationToken).ConfigureAwait(false);
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
            throw new GaplessException($"eodhd ({SharedKey}): the shared rate budget failed ({e.Message}), so nothing is sent", e);
        }
    }
}
