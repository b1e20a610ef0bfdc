using System.Security.Cryptography;
using System.Text;
using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;

namespace Gapless.Providers.Polygon;

/// <summary>
/// The rate budget shared with other workers (<see cref="PolygonOptions.SharedRateLimits"/>): one round trip to it
/// before each request (spend one, or wait as long as it says and ask again) and one more on a 429 (pause every
/// worker). Without it, or on an unlimited plan, these do nothing. Polygon reports no usage in its answers, so there
/// is nothing to correct the ledger with afterwards.
/// </summary>
internal sealed partial class PolygonClient
{
    /// <summary>A shared pause longer than this is not a rate-limit pause: requests fail at once rather than sleep through it.</summary>
    private static readonly TimeSpan LongestSharedWait = TimeSpan.FromMinutes(5);

    private readonly ISharedRateLimits? _shared;

    /// <summary>
    /// The key of this account's budget in the shared ledger: <c>polygon:key-</c> plus the first 8 hex digits of the
    /// key's SHA-256. Polygon limits per account, not per host, and the ledger must never hold the key itself.
    /// </summary>
    public string SharedKey { get; }

    private static string Fingerprint(string? apiKey)
        => apiKey is null ? "none" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)))[..8];

    private async ValueTask SpendSharedAsync(CancellationToken cancellationToken)
    {
        if (_shared is null || _options.RequestsPerMinute is not { } perMinute)
        {
            return;
        }

        var budget = new RateBudget(perMinute, TimeSpan.FromMinutes(1));

        // Not a retry loop: each pass waits for the instant the ledger said the budget can next change, then asks
        // again (other workers may have taken the room meanwhile).
        while (true)
        {
            var wait = await ConsultAsync(() => _shared.TrySpendAsync(SharedKey, RequestWeight, budget, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (wait <= TimeSpan.Zero)
            {
                return;
            }

            if (wait > LongestSharedWait)
            {
                var until = _time.GetUtcNow() + wait;
                throw new VendorException(
                    PolygonErrors.Vendor, VendorErrorKind.RateLimited,
                    $"polygon ({SharedKey}) is paused for every worker sharing its rate budget until {UtcTime.ToIso(until.ToUnixTimeMilliseconds())}; no request is sent before then",
                    retryAfter: wait);
            }

            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
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
            throw new GaplessException($"polygon ({SharedKey}): the shared rate budget failed ({e.Message}), so nothing is sent", e);
        }
    }
}
