using System.Collections.Frozen;

namespace Gapless.Providers.Http;

/// <summary>
/// Turns a request URI into the text the fetch log stores: path and query with every known secret parameter
/// removed, so a vendor key can never reach a log, a terminal or the store.
/// </summary>
internal static class RequestDescription
{
    // Names vendors use for credentials in a query string (Polygon apiKey, EODHD api_token, tokens, signatures).
    private static readonly FrozenSet<string> SecretNames = new[]
    {
        "apikey", "api_key", "api-key", "key", "token", "api_token", "access_token", "apitoken", "secret",
        "signature", "password", "passwd", "client_secret",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Path and query of <paramref name="uri"/> (absolute or relative), secrets removed.</summary>
    public static string Of(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return Of(uri.IsAbsoluteUri ? uri.PathAndQuery : uri.OriginalString);
    }

    /// <summary><paramref name="pathAndQuery"/> with every secret parameter removed.</summary>
    public static string Of(string pathAndQuery)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        if (q < 0)
        {
            return pathAndQuery;
        }

        var kept = pathAndQuery[(q + 1)..]
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(part => !IsSecret(part));
        var query = string.Join('&', kept);
        return query.Length == 0 ? pathAndQuery[..q] : $"{pathAndQuery[..q]}?{query}";
    }

    private static bool IsSecret(string parameter)
    {
        var eq = parameter.IndexOf('=', StringComparison.Ordinal);
        var name = Uri.UnescapeDataString(eq < 0 ? parameter : parameter[..eq]);
        return SecretNames.Contains(name);
    }
}
