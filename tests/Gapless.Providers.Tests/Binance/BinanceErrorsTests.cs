using System.Text;
using Gapless.Core.Errors;
using Gapless.Providers.Binance;

namespace Gapless.Providers.Tests.Binance;

public class BinanceErrorsTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void FromAnswer_InvalidSymbol_NamesSymbolAndVendorMessage()
    {
        var e = BinanceErrors.FromAnswer(400, """{"code":-1121,"msg":"Invalid symbol."}"""u8, null, "BAD", "/api/v3/klines", Minute);

        Assert.Equal(VendorErrorKind.InvalidSymbol, e.Kind);
        Assert.Equal("binance refused symbol 'BAD': Invalid symbol. (-1121)", e.Message);
        Assert.Equal(-1121, e.VendorCode);
        Assert.False(e.IsTransient);
    }

    [Fact]
    public void FromAnswer_RealBanBody_ReportsBanEndInIso()
    {
        var e = BinanceErrors.FromAnswer(418, Fixture.Bytes("binance-error-418-ip-banned.json"), null, "BTCUSDT", "/api/v3/klines", Minute);

        Assert.Equal(VendorErrorKind.Banned, e.Kind);
        Assert.Contains("until 2022-08-06T04:58:51.230Z", e.Message, StringComparison.Ordinal);
        Assert.Equal(-1003, e.VendorCode);
        Assert.False(e.IsTransient);
    }

    [Fact]
    public void FromAnswer_RealRestrictedLocationBody_NamesTheMarketDataHostAndHowToSetIt()
    {
        var e = BinanceErrors.FromAnswer(451, Fixture.Bytes("binance-error-451-restricted-location.json"), null, "BTCUSDT", "/api/v3/klines", Minute);

        Assert.Equal(VendorErrorKind.Restricted, e.Kind);
        Assert.Contains("https://data-api.binance.vision", e.Message, StringComparison.Ordinal);
        Assert.Contains("--binance-url", e.Message, StringComparison.Ordinal);
        Assert.Contains("GAPLESS_BINANCE_URL", e.Message, StringComparison.Ordinal);
        Assert.Contains("restricted location", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void FromAnswer_TooManyRequests_CarriesRetryAfter()
    {
        var e = BinanceErrors.FromAnswer(429, """{"code":-1003,"msg":"Too much request weight used."}"""u8, TimeSpan.FromSeconds(7), "BTCUSDT", "/x", Minute);

        Assert.Equal(VendorErrorKind.RateLimited, e.Kind);
        Assert.Equal(TimeSpan.FromSeconds(7), e.RetryAfter);
        Assert.True(e.IsTransient);
    }

    [Fact]
    public void FromAnswer_TooManyRequestsWithoutHeader_WaitsTheDefault()
        => Assert.Equal(Minute, BinanceErrors.FromAnswer(429, "{}"u8, null, "S", "/x", Minute).RetryAfter);

    [Fact]
    public void FromAnswer_ServerErrorWithHtmlBody_IsTransientWithAnExcerpt()
    {
        var e = BinanceErrors.FromAnswer(502, Encoding.UTF8.GetBytes("<html>\n<body>Bad Gateway</body></html>"), null, "S", "/x", Minute);

        Assert.Equal(VendorErrorKind.ServerError, e.Kind);
        Assert.True(e.IsTransient);
        Assert.Contains("Bad Gateway", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromAnswer_OtherClientError_FailsWithVendorsMessageAndCode()
    {
        var e = BinanceErrors.FromAnswer(400, """{"code":-1120,"msg":"Invalid interval."}"""u8, null, "S", "/api/v3/klines?interval=7m", Minute);

        Assert.Equal(VendorErrorKind.Refused, e.Kind);
        Assert.Contains("Invalid interval. (-1120)", e.Message, StringComparison.Ordinal);
        Assert.False(e.IsTransient);
    }
}
