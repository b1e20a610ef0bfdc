using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Providers.Binance.Models;

namespace Gapless.Providers.Binance;

/// <summary>
/// Translates Binance's error answers into <see cref="VendorException"/>s whose messages a user can act on.
/// The one place Binance's status codes and error bodies are interpreted (STYLE habit 7).
/// </summary>
internal static partial class BinanceErrors
{
    public const string Vendor = "binance";

    private const int InvalidSymbolCode = -1121;

    private static readonly string BaseUrlHint =
        $"{BinanceOptions.BaseUrlCliOption} or {BinanceOptions.BaseUrlEnvironmentVariable}";

    /// <summary>How the user points Gapless at another Binance host; named in unreachable messages.</summary>
    public static string HowToChangeBaseUrl => BaseUrlHint;

    /// <summary>The error for a non-success answer.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="body">The answer's body (JSON from Binance, anything from a proxy).</param>
    /// <param name="retryAfter">The Retry-After header, if any.</param>
    /// <param name="symbol">The symbol asked for.</param>
    /// <param name="request">The request, secrets removed.</param>
    /// <param name="defaultRetryAfter">The wait assumed when a 429 has no Retry-After.</param>
    public static VendorException FromAnswer(
        int status, ReadOnlySpan<byte> body, TimeSpan? retryAfter, string symbol, string request, TimeSpan defaultRetryAfter)
    {
        var error = ReadBody(body);
        var said = Describe(error, body);
        return status switch
        {
            429 => new VendorException(
                Vendor, VendorErrorKind.RateLimited,
                $"binance rate limit reached on {request}: {said}; waiting {(retryAfter ?? defaultRetryAfter).TotalSeconds:0} s as asked",
                status, error?.Code, retryAfter ?? defaultRetryAfter),
            418 => Banned(error, said, status),
            451 => new VendorException(
                Vendor, VendorErrorKind.Restricted,
                $"binance refuses service from this location (HTTP 451: {said}); use {BinanceOptions.MarketDataBaseUrl}, "
                + $"Binance's key-less market-data host, as the base URL ({BaseUrlHint})",
                status, error?.Code),
            _ when error?.Code == InvalidSymbolCode => new VendorException(
                Vendor, VendorErrorKind.InvalidSymbol, $"binance refused symbol '{symbol}': {said}", status, error.Code),
            401 or 403 => new VendorException(
                Vendor, VendorErrorKind.Unauthorized, $"binance refused {request} (HTTP {status}): {said}", status, error?.Code),
            >= 500 => new VendorException(
                Vendor, VendorErrorKind.ServerError, $"binance failed on {request} (HTTP {status}): {said}", status, error?.Code),
            >= 400 => new VendorException(
                Vendor, VendorErrorKind.Refused, $"binance refused {request} (HTTP {status}): {said}", status, error?.Code),
            _ => new VendorException(
                Vendor, VendorErrorKind.BadResponse, $"binance answered {request} with unexpected HTTP {status}: {said}", status, error?.Code),
        };
    }

    /// <summary>An answer with a success status whose body does not parse: transient (a truncated body), so retried.</summary>
    public static VendorException Malformed(string request, Exception cause)
        => new(Vendor, VendorErrorKind.BadResponse, $"binance sent a malformed answer to {request}: {cause.Message}", innerException: cause);

    private static VendorException Banned(BinanceErrorBody? error, string said, int status)
    {
        // Binance puts the ban's end inside the message: "... IP banned until 1663232343345. ..."
        if (BannedUntilMs(error?.Msg) is { } untilMs)
        {
            return new VendorException(
                Vendor, VendorErrorKind.Banned,
                $"binance banned this IP until {UtcTime.ToIso(untilMs)} for exceeding its rate limit ({said}); no request can succeed before then",
                status, error?.Code);
        }

        return new VendorException(
            Vendor, VendorErrorKind.Banned, $"binance banned this IP for exceeding its rate limit ({said}); wait before trying again",
            status, error?.Code);
    }

    /// <summary>The ban's end, epoch ms, if the message of a 418 states it.</summary>
    public static long? BannedUntilMs(string? message)
    {
        var match = BannedUntilPattern().Match(message ?? string.Empty);
        return match.Success && long.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? ms
            : null;
    }

    private static BinanceErrorBody? ReadBody(ReadOnlySpan<byte> body)
    {
        try
        {
            return body.IsEmpty ? null : JsonSerializer.Deserialize(body, BinanceJsonContext.Default.BinanceErrorBody);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Describe(BinanceErrorBody? error, ReadOnlySpan<byte> body)
    {
        if (error?.Msg is { Length: > 0 } msg)
        {
            return error.Code is { } code ? $"{msg} ({code.ToString(CultureInfo.InvariantCulture)})" : msg;
        }

        // Not Binance's JSON (a proxy's HTML page): show a short, single-line excerpt.
        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, 200)]).ReplaceLineEndings(" ").Trim();
        return text.Length == 0 ? "no message" : text;
    }

    [GeneratedRegex(@"banned until (\d{10,16})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BannedUntilPattern();
}
