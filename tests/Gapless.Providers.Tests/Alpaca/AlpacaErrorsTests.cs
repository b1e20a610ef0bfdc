using System.Text;
using Gapless.Core.Errors;
using Gapless.Providers.Alpaca;

namespace Gapless.Providers.Tests.Alpaca;

public class AlpacaErrorsTests
{
    private const string Request = "/v2/stocks/AAPL/bars?timeframe=1Min";

    private static VendorException From(int status, string body, TimeSpan? retryAfter = null, AlpacaFeed feed = AlpacaFeed.Iex, params string[] symbols)
        => AlpacaErrors.FromAnswer(status, Encoding.UTF8.GetBytes(body), retryAfter, Request, symbols.Length == 0 ? ["AAPL"] : symbols, feed, TimeSpan.FromSeconds(60));

    [Fact]
    public void RecentSipRefusal_RealBody_IsAFinalizationDelayNotAKeyProblem()
    {
        var e = AlpacaErrors.FromAnswer(
            403, Fixture.Bytes("alpaca-error-recent-sip-403.json"), null, Request, ["AAPL"], AlpacaFeed.Sip, TimeSpan.FromSeconds(60));

        Assert.Equal(VendorErrorKind.Unauthorized, e.Kind);
        Assert.False(e.IsTransient);
        Assert.Equal(403, e.HttpStatus);
        Assert.Null(e.VendorCode);
        Assert.Contains("SIP data of the last 15 minutes", e.Message, StringComparison.Ordinal);
        Assert.Contains("subscription does not permit querying recent SIP data", e.Message, StringComparison.Ordinal);
        Assert.Contains("feed=iex", e.Message, StringComparison.Ordinal);
        Assert.Contains("GAPLESS_ALPACA_FEED", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("APCA_API_KEY_ID", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(401, """{"message":"unauthorized."}""")]
    [InlineData(403, """{"message":"forbidden."}""")]
    [InlineData(401, """{"code":40110000,"message":"request is not authorized"}""")]
    public void BadKeys_NameTheEnvironmentVariables(int status, string body)
    {
        var e = From(status, body);

        Assert.Equal(VendorErrorKind.Unauthorized, e.Kind);
        Assert.False(e.IsTransient);
        Assert.StartsWith($"alpaca refused the API keys (HTTP {status}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("APCA_API_KEY_ID and APCA_API_SECRET_KEY", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingKeys_NameTheEnvironmentVariables()
    {
        var e = AlpacaErrors.MissingKeys();

        Assert.Equal(VendorErrorKind.Unauthorized, e.Kind);
        Assert.Contains("APCA_API_KEY_ID and APCA_API_SECRET_KEY", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownSymbol_422_IsInvalidSymbol()
    {
        var e = From(422, """{"code":42210000,"message":"invalid symbol: ZZZZ"}""", symbols: "ZZZZ");

        Assert.Equal(VendorErrorKind.InvalidSymbol, e.Kind);
        Assert.Equal("alpaca refused symbol 'ZZZZ': invalid symbol: ZZZZ (42210000) (HTTP 422)", e.Message);
        Assert.Equal(42210000, e.VendorCode);
        Assert.False(e.IsTransient);
    }

    [Fact]
    public void OtherInvalidParameters_422_AreARefusal()
    {
        var e = From(422, """{"code":42210000,"message":"invalid timeframe"}""");

        Assert.Equal(VendorErrorKind.Refused, e.Kind);
        Assert.Equal($"alpaca refused {Request} (HTTP 422): invalid timeframe (42210000)", e.Message);
    }

    [Fact]
    public void TooManyRequests_IsRateLimitedAndWaitsAsAsked()
    {
        var e = From(429, """{"message":"too many requests."}""", TimeSpan.FromSeconds(12));

        Assert.Equal(VendorErrorKind.RateLimited, e.Kind);
        Assert.True(e.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(12), e.RetryAfter);
        Assert.Equal($"alpaca rate limit reached on {Request}: too many requests.; waiting 12 s for the limit to reset", e.Message);
    }

    [Fact]
    public void TooManyRequests_WithoutHeaders_WaitsTheDefault()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), From(429, "").RetryAfter);
    }

    [Theory]
    [InlineData(500, """{"code":50010000,"message":"internal server error occurred"}""", "internal server error occurred (50010000)")]
    [InlineData(502, "<html>\n<body>Bad Gateway</body>\n</html>", "<html> <body>Bad Gateway</body> </html>")]
    [InlineData(503, "", "no message")]
    public void ServerErrors_AreTransient(int status, string body, string said)
    {
        var e = From(status, body);

        Assert.Equal(VendorErrorKind.ServerError, e.Kind);
        Assert.True(e.IsTransient);
        Assert.Equal($"alpaca failed on {Request} (HTTP {status}): {said}", e.Message);
    }
}
