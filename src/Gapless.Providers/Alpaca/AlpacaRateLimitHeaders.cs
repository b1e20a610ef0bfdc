using System.Globalization;
using System.Net.Http.Headers;

namespace Gapless.Providers.Alpaca;

/// <summary>
/// What an Alpaca answer says about the rate limit: <c>X-RateLimit-Limit</c> (requests per minute on this plan),
/// <c>X-RateLimit-Remaining</c> (left in the current window) and <c>X-RateLimit-Reset</c> (when the window resets,
/// Unix seconds). Each is null when absent or malformed.
/// </summary>
internal sealed record AlpacaRateLimitHeaders(int? Limit, int? Remaining, DateTimeOffset? Reset)
{
    public const string LimitHeader = "X-RateLimit-Limit";
    public const string RemainingHeader = "X-RateLimit-Remaining";
    public const string ResetHeader = "X-RateLimit-Reset";

    public static AlpacaRateLimitHeaders Read(HttpResponseHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var limit = Text(headers, LimitHeader) is { } l && int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out var li) ? li : (int?)null;
        var remaining = Text(headers, RemainingHeader) is { } r && int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var ri) ? ri : (int?)null;

        // Unix seconds; anything past year 5000 is not a reset time.
        var reset = Text(headers, ResetHeader) is { } t && long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && seconds is > 0 and < 95_617_584_000
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : (DateTimeOffset?)null;
        return new AlpacaRateLimitHeaders(limit, remaining, reset);
    }

    /// <summary>Requests the vendor counts as used in its current window, where it said.</summary>
    public int? Used => Limit is { } limit && Remaining is { } remaining ? Math.Max(0, limit - remaining) : null;

    private static string? Text(HttpResponseHeaders headers, string name)
        => headers.TryGetValues(name, out var values) ? values.FirstOrDefault()?.Trim() : null;
}
