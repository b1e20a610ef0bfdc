using System.Text;
using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Providers.Polygon;

namespace Gapless.Providers.Tests.Polygon;

public class PolygonErrorsTests
{
    private const string Request = "/v2/aggs/ticker/AAPL/range/1/minute/1/2?adjusted=true&sort=asc&limit=50000";

    private static VendorException From(int status, string body, TimeSpan? retryAfter = null)
        => PolygonErrors.FromAnswer(status, Encoding.UTF8.GetBytes(body), retryAfter, "AAPL", Timeframe.M1, Request, TimeSpan.FromSeconds(60));

    [Fact]
    public void NotAuthorized_RealBody_IsAPlanRefusalThatSaysSo()
    {
        var e = PolygonErrors.FromAnswer(403, Fixture.Bytes("polygon-error-not-authorized.json"), null, "AAPL", Timeframe.D1, Request, TimeSpan.FromSeconds(60));

        Assert.Equal(VendorErrorKind.Unauthorized, e.Kind);
        Assert.False(e.IsTransient);
        Assert.Equal(403, e.HttpStatus);
        Assert.Equal(
            "polygon refused AAPL 1d because your Polygon plan does not include this data (NOT_AUTHORIZED: Your plan doesn't include this "
            + "data timeframe. Please upgrade your plan at https://polygon.io/pricing); upgrade the plan, or ask only for what it covers "
            + "(the free plan has about two years of history and no dates after today)",
            e.Message);
    }

    [Fact]
    public void NotAuthorized_WithASuccessStatus_IsStillAPlanRefusal()
    {
        Assert.Equal(VendorErrorKind.Unauthorized, From(200, """{"status":"NOT_AUTHORIZED","request_id":"x","message":"You are not entitled to this data."}""").Kind);
    }

    [Theory]
    [InlineData(401, """{"status":"ERROR","request_id":"a","error":"Unknown API Key"}""", "polygon rejected the API key (HTTP 401: ERROR: Unknown API Key); check POLYGON_API_KEY")]
    [InlineData(401, """{"status":"ERROR","request_id":"a","error":"API Key was not provided"}""", "polygon rejected the API key (HTTP 401: ERROR: API Key was not provided); check POLYGON_API_KEY")]
    [InlineData(403, "", "polygon rejected the API key (HTTP 403: no message); check POLYGON_API_KEY")]
    public void BadKey_NamesTheVariable(int status, string body, string message)
    {
        var e = From(status, body);

        Assert.Equal((VendorErrorKind.Unauthorized, message), (e.Kind, e.Message));
        Assert.False(e.IsTransient);
    }

    [Fact]
    public void TooManyRequests_WithoutRetryAfter_WaitsTheDefaultMinute()
    {
        var e = From(429, """{"status":"ERROR","request_id":"a","error":"You've exceeded the maximum requests per minute, please wait or upgrade your subscription to continue. https://polygon.io/pricing"}""");

        Assert.Equal(VendorErrorKind.RateLimited, e.Kind);
        Assert.True(e.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(60), e.RetryAfter);
        Assert.Contains("no request goes to polygon for 60 s", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooManyRequests_WithRetryAfter_WaitsThat()
    {
        Assert.Equal(TimeSpan.FromSeconds(7), From(429, "{}", TimeSpan.FromSeconds(7)).RetryAfter);
    }

    [Theory]
    [InlineData(404, VendorErrorKind.InvalidSymbol, false)]
    [InlineData(400, VendorErrorKind.Refused, false)]
    [InlineData(500, VendorErrorKind.ServerError, true)]
    [InlineData(502, VendorErrorKind.ServerError, true)]
    [InlineData(200, VendorErrorKind.BadResponse, true)]
    [InlineData(302, VendorErrorKind.BadResponse, true)]
    public void OtherStatuses_MapToKinds(int status, VendorErrorKind kind, bool transient)
    {
        var e = From(status, """{"status":"ERROR","request_id":"a","error":"Could not parse the time parameter"}""");

        Assert.Equal((kind, transient), (e.Kind, e.IsTransient));
    }

    [Fact]
    public void ProxyPage_IsQuotedShortOnOneLine()
    {
        var e = From(502, "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n</html>");

        Assert.Equal($"polygon failed on {Request} (HTTP 502): <html> <head><title>502 Bad Gateway</title></head> </html>", e.Message);
    }

    [Fact]
    public void Scrub_TakesTheKeyOutOfAMessageAndDropsTheCause()
    {
        var e = new VendorException(
            "polygon", VendorErrorKind.Unreachable, "cannot reach https://api.polygon.io/x?apiKey=s3cret", innerException: new HttpRequestException("apiKey=s3cret"));

        var scrubbed = PolygonErrors.Scrub(e, "s3cret");

        Assert.Equal("cannot reach https://api.polygon.io/x?apiKey=***", scrubbed.Message);
        Assert.Null(scrubbed.InnerException);
        Assert.Equal(VendorErrorKind.Unreachable, scrubbed.Kind);
        Assert.Same(e, PolygonErrors.Scrub(e, "other"));
    }
}
