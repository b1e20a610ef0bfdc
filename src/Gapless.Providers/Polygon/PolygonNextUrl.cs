using Gapless.Core.Errors;

namespace Gapless.Providers.Polygon;

/// <summary>
/// Follows Polygon's <c>next_url</c> safely. The link names the vendor's own host (<c>https://api.polygon.io/v2/aggs/…?cursor=…</c>)
/// and never carries the key. Its path and query are sent to the host the user configured (a proxy, the Massive host,
/// or a fake on 127.0.0.1 keeps receiving every page), and only when the link's host is the vendor's or the
/// configured one: a link to any other host is refused before anything, least of all the key, is sent there.
/// </summary>
internal static class PolygonNextUrl
{
    /// <summary>The vendor's API hosts, under either name.</summary>
    public static readonly IReadOnlyList<string> VendorHosts = ["api.polygon.io", "api.massive.com"];

    private const string AggsPath = "/v2/aggs/ticker/";

    /// <summary>The path and query to request next, for the host in <paramref name="configuredBase"/>.</summary>
    /// <param name="nextUrl">The answer's <c>next_url</c>.</param>
    /// <param name="configuredBase">The base URL the user configured.</param>
    /// <param name="request">The request that answered with it (secrets removed), for the message.</param>
    /// <exception cref="VendorException">The link is not an aggregates link on the vendor's or the configured host.</exception>
    public static string Resolve(string nextUrl, Uri configuredBase, string request)
    {
        ArgumentNullException.ThrowIfNull(configuredBase);
        if (!Uri.TryCreate(nextUrl, UriKind.Absolute, out var next)
            || (next.Scheme != Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttp))
        {
            throw Refuse($"polygon answered {request} with a next_url that is not an http(s) URL; the next page was not asked for");
        }

        var host = next.IdnHost;
        var trusted = VendorHosts.Any(h => string.Equals(h, host, StringComparison.OrdinalIgnoreCase))
            || string.Equals(next.Authority, configuredBase.Authority, StringComparison.OrdinalIgnoreCase);
        if (!trusted)
        {
            throw Refuse(
                $"polygon answered {request} with a next_url on another host ({host}); it was not followed, so the API key "
                + $"was not sent there. Only {string.Join(" and ", VendorHosts)} and the configured host {configuredBase.Authority} are trusted");
        }

        if (!next.AbsolutePath.StartsWith(AggsPath, StringComparison.Ordinal))
        {
            throw Refuse($"polygon answered {request} with a next_url outside the aggregates API ({next.AbsolutePath}); the next page was not asked for");
        }

        return next.PathAndQuery;
    }

    // Not transient (so not retried, and the sync stops): asking again yields the same link.
    private static VendorException Refuse(string message) => new(PolygonErrors.Vendor, VendorErrorKind.Refused, message);
}
