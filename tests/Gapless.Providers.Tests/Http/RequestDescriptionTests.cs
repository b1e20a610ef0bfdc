using Gapless.Providers.Http;

namespace Gapless.Providers.Tests.Http;

public class RequestDescriptionTests
{
    [Theory]
    [InlineData("/v2/aggs?adjusted=true&apiKey=SECRET&limit=5", "/v2/aggs?adjusted=true&limit=5")]
    [InlineData("/api/intraday/AAPL.US?api_token=SECRET&fmt=json", "/api/intraday/AAPL.US?fmt=json")]
    [InlineData("/x?token=SECRET", "/x")]
    [InlineData("/x?APIKEY=SECRET&b=2&apikey=s2", "/x?b=2")]
    [InlineData("/x?signature=abc&timestamp=1", "/x?timestamp=1")]
    [InlineData("/api/v3/klines?symbol=BTCUSDT&interval=1m", "/api/v3/klines?symbol=BTCUSDT&interval=1m")]
    [InlineData("/plain", "/plain")]
    public void Of_StripsSecretParameters(string request, string expected)
        => Assert.Equal(expected, RequestDescription.Of(request));

    [Fact]
    public void Of_AbsoluteUri_KeepsPathAndQueryOnly()
        => Assert.Equal("/v2/aggs?limit=5", RequestDescription.Of(new Uri("https://api.polygon.io/v2/aggs?apiKey=SECRET&limit=5")));
}
