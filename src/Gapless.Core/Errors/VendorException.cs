namespace Gapless.Core.Errors;

/// <summary>What went wrong with a vendor, as far as deciding what to do next is concerned.</summary>
public enum VendorErrorKind
{
    /// <summary>The vendor refused the request (4xx other than the ones below); not worth retrying.</summary>
    Refused,

    /// <summary>The vendor does not know the symbol (Binance -1121).</summary>
    InvalidSymbol,

    /// <summary>Missing or wrong credentials, or a plan that does not include the data.</summary>
    Unauthorized,

    /// <summary>HTTP 429: too many requests; wait <see cref="VendorException.RetryAfter"/>.</summary>
    RateLimited,

    /// <summary>HTTP 418 from Binance: the IP is banned for a while. Stop.</summary>
    Banned,

    /// <summary>HTTP 451: the vendor refuses service from this location.</summary>
    Restricted,

    /// <summary>HTTP 5xx.</summary>
    ServerError,

    /// <summary>No answer in time.</summary>
    Timeout,

    /// <summary>An answer that does not parse: truncated or malformed body.</summary>
    BadResponse,

    /// <summary>The vendor cannot be reached (DNS, connection refused).</summary>
    Unreachable,
}

/// <summary>A vendor request failed. Carries what a retry policy and a user need: kind, status, vendor code.</summary>
public sealed class VendorException : GaplessException
{
    public VendorException()
    {
        Vendor = string.Empty;
    }

    public VendorException(string message)
        : base(message)
    {
        Vendor = string.Empty;
    }

    public VendorException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Vendor = string.Empty;
    }

    public VendorException(
        string vendor,
        VendorErrorKind kind,
        string message,
        int? httpStatus = null,
        int? vendorCode = null,
        TimeSpan? retryAfter = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        Vendor = vendor;
        Kind = kind;
        HttpStatus = httpStatus;
        VendorCode = vendorCode;
        RetryAfter = retryAfter;
    }

    public string Vendor { get; }

    public VendorErrorKind Kind { get; }

    public int? HttpStatus { get; }

    /// <summary>The vendor's own error code where it sends one (Binance <c>-1121</c>).</summary>
    public int? VendorCode { get; }

    /// <summary>How long the vendor asked us to wait, where it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>True when the same request may succeed later: 429, 5xx, timeouts, broken bodies, unreachable.</summary>
    public bool IsTransient => Kind is VendorErrorKind.RateLimited or VendorErrorKind.ServerError
        or VendorErrorKind.Timeout or VendorErrorKind.BadResponse or VendorErrorKind.Unreachable;
}
