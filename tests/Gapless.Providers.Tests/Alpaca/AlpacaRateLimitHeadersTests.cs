using Gapless.Providers.Alpaca;

namespace Gapless.Providers.Tests.Alpaca;

public class AlpacaRateLimitHeadersTests
{
    private static AlpacaRateLimitHeaders Read(params (string Name, string Value)[] headers)
    {
        using var answer = new HttpResponseMessage();
        foreach (var (name, value) in headers)
        {
            answer.Headers.TryAddWithoutValidation(name, value);
        }

        return AlpacaRateLimitHeaders.Read(answer.Headers);
    }

    [Fact]
    public void Read_AllThree_GivesTheUsedCountAndTheReset()
    {
        var headers = Read(("X-RateLimit-Limit", "200"), ("X-RateLimit-Remaining", "187"), ("X-RateLimit-Reset", "1717426860"));

        Assert.Equal(200, headers.Limit);
        Assert.Equal(187, headers.Remaining);
        Assert.Equal(13, headers.Used);
        Assert.Equal(new DateTimeOffset(2024, 6, 3, 15, 1, 0, TimeSpan.Zero), headers.Reset);
    }

    [Fact]
    public void Read_NoneOrMalformed_GivesNulls()
    {
        Assert.Equal(new AlpacaRateLimitHeaders(null, null, null), Read());
        var bad = Read(("X-RateLimit-Limit", "lots"), ("X-RateLimit-Remaining", "-1"), ("X-RateLimit-Reset", "99999999999999"));
        Assert.Equal(new AlpacaRateLimitHeaders(null, null, null), bad);
        Assert.Null(bad.Used);
    }
}
