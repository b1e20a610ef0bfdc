using System.Text;
using System.Text.Json;
using Gapless.Core.Errors;
using Gapless.Core.Model;

namespace Gapless.Providers.Eodhd;

/// <summary>
/// Translates EODHD's error answers into <see cref="VendorException"/>s whose messages a user can act on: the one
/// place EODHD's status codes and error bodies are interpreted (STYLE habit 7). EODHD answers errors as short text
/// (<c>Unauthenticated</c>, <c>Ticker Not Found.</c>, <c>You exceeded your daily API requests limit. …</c>) or, for
/// bad parameters, as JSON (<c>{"errors":{"to":["Max period length is 120 days"],…}}</c>, HTTP 422). No message ever
/// holds the API token: every body excerpt passes through the client's redaction first.
/// </summary>
internal static class EodhdErrors
{
    public const string Vendor = "eodhd";

    /// <summary>How the user points Gapless at another EODHD host; named in unreachable messages.</summary>
    public const string HowToChangeBaseUrl = EodhdOptions.BaseUrlEnvironmentVariable;

    private const string TokenHint = $"set {EodhdOptions.ApiTokenEnvironmentVariable} to the API token of your EODHD account";

    /// <summary>Fetching without a token: fails before any request.</summary>
    public static VendorException MissingToken()
        => new(Vendor, VendorErrorKind.Unauthorized, $"eodhd needs an API token: {TokenHint} (the free plan has no intraday data)");

    /// <summary>The error for a non-success answer.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="said">What the body says: one line, token already removed (see <see cref="Describe"/>).</param>
    /// <param name="retryAfter">The Retry-After header, if any.</param>
    /// <param name="symbol">The symbol asked for.</param>
    /// <param name="request">The request, secrets removed.</param>
    /// <param name="defaultRetryAfter">The wait assumed when a 429 has no Retry-After.</param>
    /// <param name="resetAt">When the daily allowance resets: the next midnight UTC.</param>
    /// <param name="now">Now, for the wait until <paramref name="resetAt"/>.</param>
    public static VendorException FromAnswer(
        int status, string said, TimeSpan? retryAfter, string symbol, string request, TimeSpan defaultRetryAfter, DateTimeOffset resetAt, DateTimeOffset now)
    {
        if (status == 402 || said.Contains("exceeded your daily", StringComparison.OrdinalIgnoreCase))
        {
            return AllowanceUsedUp($"eodhd's daily API allowance is used up (HTTP {status}: {said})", resetAt, now, status);
        }

        return status switch
        {
            429 => new VendorException(
                Vendor, VendorErrorKind.RateLimited,
                $"eodhd's per-minute request limit reached on {request} (HTTP 429: {said}); waiting {(retryAfter ?? defaultRetryAfter).TotalSeconds:0} s as asked",
                status, retryAfter: retryAfter ?? defaultRetryAfter),
            401 => new VendorException(
                Vendor, VendorErrorKind.Unauthorized, $"eodhd refused the API token (HTTP 401: {said}); {TokenHint}", status),
            403 => new VendorException(
                Vendor, VendorErrorKind.Unauthorized,
                $"eodhd refused {request} (HTTP 403: {said}): the plan of the token in {EodhdOptions.ApiTokenEnvironmentVariable} does not include intraday data for this ticker",
                status),
            404 => new VendorException(
                Vendor, VendorErrorKind.InvalidSymbol,
                $"eodhd does not know symbol '{symbol}' (HTTP 404: {said}); EODHD symbols are CODE.EXCHANGE, e.g. AAPL.US",
                status),
            >= 500 => new VendorException(
                Vendor, VendorErrorKind.ServerError, $"eodhd failed on {request} (HTTP {status}: {said})", status),
            >= 400 => new VendorException(
                Vendor, VendorErrorKind.Refused, $"eodhd refused {request} (HTTP {status}: {said})", status),
            _ => new VendorException(
                Vendor, VendorErrorKind.BadResponse, $"eodhd answered {request} with unexpected HTTP {status}: {said}", status),
        };
    }

    /// <summary>
    /// The daily allowance is used up until <paramref name="resetAt"/>. Not transient: retrying cannot succeed before
    /// midnight UTC, so the sync stops. Reported as <see cref="VendorErrorKind.Banned"/> (no request can succeed until a
    /// known instant, carried in <see cref="VendorException.RetryAfter"/>).
    /// </summary>
    public static VendorException AllowanceUsedUp(string what, DateTimeOffset resetAt, DateTimeOffset now, int? status = null)
        => new(
            Vendor, VendorErrorKind.Banned,
            $"{what}; it resets at midnight UTC ({UtcTime.ToIso(resetAt.ToUnixTimeMilliseconds())}): nothing more is sent to eodhd before then, "
            + "run again after it (or raise the plan's daily allowance)",
            status, retryAfter: resetAt - now);

    /// <summary>An answer with a success status whose body does not parse: transient (a truncated body), so retried.</summary>
    public static VendorException Malformed(string request, Exception cause)
        => new(Vendor, VendorErrorKind.BadResponse, $"eodhd sent a malformed answer to {request}: {cause.Message}", innerException: cause);

    /// <summary>The next midnight UTC after <paramref name="now"/>: when EODHD resets the daily allowance.</summary>
    public static DateTimeOffset NextReset(DateTimeOffset now)
    {
        var day = now.UtcDateTime.Date;
        return new DateTimeOffset(day.AddDays(1), TimeSpan.Zero);
    }

    /// <summary>
    /// What an error body says, on one line: the messages of a JSON body (<c>errors</c>, <c>message</c>, <c>error</c>),
    /// else a short excerpt of its text (an HTML page from a proxy). Passed through <paramref name="redact"/>.
    /// </summary>
    public static string Describe(ReadOnlySpan<byte> body, Func<string, string> redact)
    {
        ArgumentNullException.ThrowIfNull(redact);
        var text = FromJson(body) ?? Encoding.UTF8.GetString(body[..Math.Min(body.Length, 300)]);
        text = redact(text).ReplaceLineEndings(" ").Trim();
        if (text.Length > 200)
        {
            text = text[..200] + "…";
        }

        return text.Length == 0 ? "no message" : text;
    }

    private static string? FromJson(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty || (body[0] != (byte)'{' && body[0] != (byte)'['))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var messages = new List<string>();
            Collect(document.RootElement, messages);
            return messages.Count == 0 ? null : string.Join("; ", messages.Distinct(StringComparer.Ordinal));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // {"errors":{"to":["Max period length is 120 days"],"from":[…]}} → every string inside, once each.
    private static void Collect(JsonElement element, List<string> messages)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                messages.Add(element.GetString()!);
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, messages);
                }

                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Collect(property.Value, messages);
                }

                break;
            default:
                break;
        }
    }
}
