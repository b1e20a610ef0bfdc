using Gapless.Core.Errors;
using Polly.Timeout;

namespace Gapless.Providers.Http;

/// <summary>
/// Translates what HttpClient and the timeout strategy throw into <see cref="VendorException"/>, in one place for
/// every vendor, so retries and users see one family of errors.
/// </summary>
internal static class VendorHttpFailures
{
    /// <summary>
    /// The vendor error for <paramref name="exception"/>, or null when it is not an HTTP failure
    /// (a bug, or the caller's own cancellation), which must propagate unchanged.
    /// </summary>
    /// <param name="baseUrlHint">How the user changes the base URL, for the unreachable message.</param>
    public static VendorException? Translate(
        string vendor, Uri baseUrl, string request, TimeSpan attemptTimeout, Exception exception, string baseUrlHint)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return exception switch
        {
            VendorException v => v,
            TimeoutRejectedException e => new VendorException(
                vendor, VendorErrorKind.Timeout,
                $"{vendor} did not answer {request} within {attemptTimeout.TotalSeconds:0.###} s", innerException: e),
            HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError
                or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError } e => new VendorException(
                vendor, VendorErrorKind.Unreachable,
                $"cannot reach {vendor} at {baseUrl.GetLeftPart(UriPartial.Authority)} ({e.Message}); check the base URL ({baseUrlHint})",
                innerException: e),

            // The connection broke mid-answer: the body is as good as truncated.
            HttpRequestException or IOException => new VendorException(
                vendor, VendorErrorKind.BadResponse, $"{vendor}'s answer to {request} broke off: {exception.Message}",
                innerException: exception),
            _ => null,
        };
    }
}
