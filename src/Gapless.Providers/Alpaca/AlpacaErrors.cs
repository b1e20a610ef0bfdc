using System.Globalization;
using System.Text;
using System.Text.Json;
using Gapless.Core.Errors;
using Gapless.Providers.Alpaca.Models;

namespace Gapless.Providers.Alpaca;

/// <summary>
/// Translates Alpaca's error answers into <see cref="VendorException"/>s whose messages a user can act on: the one
/// place Alpaca's status codes and error bodies are interpreted (STYLE habit 7). No message ever carries a key: the
/// keys travel in headers, and only the status, the vendor's message and the request's path and query are quoted.
/// </summary>
internal static class AlpacaErrors
{
    public const string Vendor = "alpaca";

    /// <summary>How the user sets the keys; named in every credentials message.</summary>
    public static readonly string HowToSetKeys =
        $"set {AlpacaOptions.KeyIdEnvironmentVariable} and {AlpacaOptions.SecretKeyEnvironmentVariable} to a key pair from the Alpaca dashboard "
        + "(paper-account keys work for market data; a reset paper account needs new keys)";

    /// <summary>How the user points Gapless at another Alpaca host; named in unreachable messages.</summary>
    public static readonly string HowToChangeBaseUrl = $"{AlpacaOptions.BaseUrlCliOption} or {AlpacaOptions.BaseUrlEnvironmentVariable}";

    // The body of a free plan's 403 for SIP data of the last 15 minutes (kzhdev/alpaca_zorro_plugin issue #11).
    private const string RecentSipMarker = "recent SIP data";

    /// <summary>Keys missing from the options: nothing is sent.</summary>
    public static VendorException MissingKeys()
        => new(Vendor, VendorErrorKind.Unauthorized, $"alpaca needs API keys to serve market data: {HowToSetKeys}");

    /// <summary>The error for a non-success answer.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="body">The answer's body (JSON from Alpaca, anything from a proxy).</param>
    /// <param name="retryAfter">How long a 429 asks to wait (until the rate-limit reset), if it said.</param>
    /// <param name="request">The request, path and query (no secret in it).</param>
    /// <param name="symbols">The symbols asked for.</param>
    /// <param name="feed">The feed asked for.</param>
    /// <param name="defaultRetryAfter">The wait assumed when a 429 says nothing.</param>
    public static VendorException FromAnswer(
        int status, ReadOnlySpan<byte> body, TimeSpan? retryAfter, string request, IReadOnlyList<string> symbols, AlpacaFeed feed, TimeSpan defaultRetryAfter)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        var error = ReadBody(body);
        var said = Describe(error, body);
        var code = error?.Code is { } c && c is >= int.MinValue and <= int.MaxValue ? (int?)c : null;
        return status switch
        {
            429 => new VendorException(
                Vendor, VendorErrorKind.RateLimited,
                $"alpaca rate limit reached on {request}: {said}; waiting {(retryAfter ?? defaultRetryAfter).TotalSeconds:0} s for the limit to reset",
                status, code, retryAfter ?? defaultRetryAfter),
            403 when error?.Message?.Contains(RecentSipMarker, StringComparison.OrdinalIgnoreCase) == true => new VendorException(
                Vendor, VendorErrorKind.Unauthorized,
                $"alpaca refused {request}: the plan does not include SIP data of the last 15 minutes (HTTP 403: {said}); "
                + $"use feed=iex ({AlpacaOptions.FeedEnvironmentVariable}=iex), or ask only for bars that closed more than 15 minutes ago "
                + $"(with feed={AlpacaWire.Feed(feed)} Gapless waits for the finalization delay, 16 minutes by default for sip)",
                status, code),
            401 or 403 => new VendorException(
                Vendor, VendorErrorKind.Unauthorized, $"alpaca refused the API keys (HTTP {status}: {said}); {HowToSetKeys}", status, code),
            400 or 404 or 422 when error?.Message?.Contains("symbol", StringComparison.OrdinalIgnoreCase) == true => new VendorException(
                Vendor, VendorErrorKind.InvalidSymbol,
                $"alpaca refused {(symbols.Count == 1 ? "symbol" : "symbols")} '{string.Join(',', symbols)}': {said} (HTTP {status.ToString(CultureInfo.InvariantCulture)})",
                status, code),
            404 => new VendorException(
                Vendor, VendorErrorKind.Refused, $"alpaca has no {request} (HTTP 404: {said}); check the base URL ({HowToChangeBaseUrl})", status, code),
            >= 500 => new VendorException(
                Vendor, VendorErrorKind.ServerError, $"alpaca failed on {request} (HTTP {status}): {said}", status, code),
            >= 400 => new VendorException(
                Vendor, VendorErrorKind.Refused, $"alpaca refused {request} (HTTP {status}): {said}", status, code),
            _ => new VendorException(
                Vendor, VendorErrorKind.BadResponse, $"alpaca answered {request} with unexpected HTTP {status}: {said}", status, code),
        };
    }

    /// <summary>An answer with a success status whose body does not parse: transient (a truncated body), so retried.</summary>
    public static VendorException Malformed(string request, Exception cause)
        => new(Vendor, VendorErrorKind.BadResponse, $"alpaca sent a malformed answer to {request}: {cause.Message}", innerException: cause);

    /// <summary>A page token that comes back unchanged would loop forever.</summary>
    public static VendorException RepeatedPageToken(string request)
        => new(Vendor, VendorErrorKind.BadResponse, $"alpaca answered {request} with the page token it was given; stopping rather than loop");

    private static AlpacaErrorBody? ReadBody(ReadOnlySpan<byte> body)
    {
        try
        {
            return body.IsEmpty ? null : JsonSerializer.Deserialize(body, AlpacaJsonContext.Default.AlpacaErrorBody);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Describe(AlpacaErrorBody? error, ReadOnlySpan<byte> body)
    {
        if (error?.Message is { Length: > 0 } message)
        {
            return error.Code is { } code ? $"{message} ({code.ToString(CultureInfo.InvariantCulture)})" : message;
        }

        // Not Alpaca's JSON (a proxy's HTML page): show a short, single-line excerpt.
        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, 200)]).ReplaceLineEndings(" ").Trim();
        return text.Length == 0 ? "no message" : text;
    }
}
