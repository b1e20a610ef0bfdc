using System.Net.Http.Headers;

namespace Gapless.Providers.Http;

/// <summary>Reads <c>Retry-After</c> in either form HTTP allows (seconds, or a date).</summary>
internal static class RetryAfterHeader
{
    public static TimeSpan? Read(HttpResponseHeaders headers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var value = headers.RetryAfter;
        if (value?.Delta is { } delta)
        {
            return delta;
        }

        if (value?.Date is { } date)
        {
            var wait = date - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
