using System.Text;
using System.Text.Json;
using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Providers.Polygon.Models;

namespace Gapless.Providers.Polygon;

/// <summary>
/// Translates Polygon's refusals into <see cref="VendorException"/>s whose messages a user can act on: the one place
/// Polygon's statuses and error bodies are interpreted (STYLE habit 7). No message ever holds the API key: requests
/// are described with the key removed, and <see cref="Scrub"/> takes out anything that echoed it.
/// </summary>
internal static class PolygonErrors
{
    public const string Vendor = "polygon";

    /// <summary>The body status of a plan-entitlement refusal.</summary>
    public const string NotAuthorized = "NOT_AUTHORIZED";

    /// <summary>How the user points Gapless at another host; named in unreachable messages.</summary>
    public static string HowToChangeBaseUrl => $"{PolygonOptions.BaseUrlCliOption} or {PolygonOptions.BaseUrlEnvironmentVariable}";

    /// <summary>No key configured: nothing is sent.</summary>
    public static VendorException MissingKey()
        => new(
            Vendor, VendorErrorKind.Unauthorized,
            $"polygon needs an API key: set {PolygonOptions.ApiKeyEnvironmentVariable} to the key on your Polygon (Massive) dashboard");

    /// <summary>The error for a refusal: a non-success status, or a success status whose body is not data.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="body">The answer's body (JSON from Polygon, anything from a proxy).</param>
    /// <param name="retryAfter">The Retry-After header, if any (Polygon rarely sends one).</param>
    /// <param name="ticker">The ticker asked for.</param>
    /// <param name="timeframe">The timeframe asked for.</param>
    /// <param name="request">The request, key removed.</param>
    /// <param name="defaultRetryAfter">The pause assumed when a 429 has no Retry-After.</param>
    public static VendorException FromAnswer(
        int status, ReadOnlySpan<byte> body, TimeSpan? retryAfter, string ticker, Timeframe timeframe, string request, TimeSpan defaultRetryAfter)
    {
        var error = ReadBody(body);
        var said = Describe(error, body);
        if (error?.Status == NotAuthorized)
        {
            // Polygon's plan refusal (HTTP 403): a ticker class, timeframe or history the plan lacks, or a date in the future.
            return new VendorException(
                Vendor, VendorErrorKind.Unauthorized,
                $"polygon refused {ticker} {timeframe} because your Polygon plan does not include this data ({said}); upgrade the plan, "
                + "or ask only for what it covers (the free plan has about two years of history and no dates after today)",
                status);
        }

        var wait = retryAfter ?? defaultRetryAfter;
        return status switch
        {
            429 => new VendorException(
                Vendor, VendorErrorKind.RateLimited,
                $"polygon rate limit reached on {request}: {said}; no request goes to polygon for {wait.TotalSeconds:0} s "
                + $"(set {PolygonOptions.RequestsPerMinuteEnvironmentVariable} to your plan's limit)",
                status, retryAfter: wait),
            401 or 403 => new VendorException(
                Vendor, VendorErrorKind.Unauthorized,
                $"polygon rejected the API key (HTTP {status}: {said}); check {PolygonOptions.ApiKeyEnvironmentVariable}",
                status),
            404 => new VendorException(
                Vendor, VendorErrorKind.InvalidSymbol,
                $"polygon found nothing at {request} (HTTP 404: {said}); check the ticker '{ticker}' (share classes take a dot: BRK.B) "
                + $"and the base URL ({HowToChangeBaseUrl})",
                status),
            >= 500 => new VendorException(
                Vendor, VendorErrorKind.ServerError, $"polygon failed on {request} (HTTP {status}): {said}", status),
            >= 400 => new VendorException(
                Vendor, VendorErrorKind.Refused, $"polygon refused {request} (HTTP {status}): {said}", status),
            >= 200 and < 300 => new VendorException(
                Vendor, VendorErrorKind.BadResponse, $"polygon answered {request} with status {error?.Status ?? "?"} and no data: {said}", status),
            _ => new VendorException(
                Vendor, VendorErrorKind.BadResponse, $"polygon answered {request} with unexpected HTTP {status}: {said}", status),
        };
    }

    /// <summary>A success answer whose body does not parse: transient (a truncated body), so retried.</summary>
    public static VendorException Malformed(string request, Exception cause)
        => new(Vendor, VendorErrorKind.BadResponse, $"polygon sent a malformed answer to {request}: {cause.Message}", innerException: cause);

    /// <summary>
    /// <paramref name="error"/>, or the same error without <paramref name="secret"/> where its message held it (a proxy
    /// or an HTTP stack echoing the request URL). The cause is dropped then: its message would hold it too.
    /// </summary>
    public static VendorException Scrub(VendorException error, string? secret)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (string.IsNullOrEmpty(secret) || !Holds(error, secret))
        {
            return error;
        }

        return new VendorException(
            error.Vendor, error.Kind, error.Message.Replace(secret, "***", StringComparison.Ordinal),
            error.HttpStatus, error.VendorCode, error.RetryAfter);
    }

    private static bool Holds(Exception error, string secret)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e.Message.Contains(secret, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static PolygonErrorBody? ReadBody(ReadOnlySpan<byte> body)
    {
        try
        {
            return body.IsEmpty ? null : JsonSerializer.Deserialize(body, PolygonJsonContext.Default.PolygonErrorBody);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Describe(PolygonErrorBody? error, ReadOnlySpan<byte> body)
    {
        if ((error?.Error ?? error?.Message) is { Length: > 0 } text)
        {
            return error!.Status is { Length: > 0 } status ? $"{status}: {text}" : text;
        }

        // Not Polygon's JSON (a proxy's or load balancer's HTML page): a short, single-line excerpt.
        var excerpt = Encoding.UTF8.GetString(body[..Math.Min(body.Length, 200)]).ReplaceLineEndings(" ").Trim();
        return excerpt.Length == 0 ? "no message" : excerpt;
    }
}
