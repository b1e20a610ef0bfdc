using System.Text.Json;
using Gapless.Core.Model;
using Gapless.FakeVendors.Alpaca;
using Gapless.Testing;

namespace Gapless.Providers.Tests.Alpaca;

/// <summary>The fake itself must be faithful, or the provider tests prove nothing.</summary>
public class FakeAlpacaTests
{
    private static async Task<(int Status, string Body, HttpResponseMessage Answer)> GetAsync(FakeAlpaca fake, string pathAndQuery, bool withKeys = true)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fake.BaseUrl, pathAndQuery));
        if (withKeys)
        {
            request.Headers.Add("APCA-API-KEY-ID", "fake-key-id");
            request.Headers.Add("APCA-API-SECRET-KEY", "fake-secret-key");
        }

        var answer = await http.SendAsync(request);
        return ((int)answer.StatusCode, await answer.Content.ReadAsStringAsync(), answer);
    }

    private static Task<FakeAlpaca> StartAsync(Action<FakeAlpacaOptions>? configure = null)
    {
        var options = new FakeAlpacaOptions { TimeProvider = new ManualTimeProvider(AlpacaRig.Now) };
        configure?.Invoke(options);
        return FakeAlpaca.StartAsync(options);
    }

    [Fact]
    public async Task SingleEndpoint_WireFormatMatchesAlpaca()
    {
        await using var fake = await StartAsync(o => o.MaxPageSize = 3);

        var (status, body, answer) = await GetAsync(fake, "/v2/stocks/AAPL/bars?timeframe=1Min&start=2024-01-02T14:30:00Z&end=2024-01-02T15:00:00Z&limit=3&feed=iex&sort=asc");

        Assert.Equal(200, status);
        Assert.Equal("application/json; charset=UTF-8", answer.Content.Headers.ContentType!.ToString());
        Assert.Equal("200", answer.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.Equal("199", answer.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.Equal("1717426860", answer.Headers.GetValues("X-RateLimit-Reset").Single()); // 15:01:00, the window's end
        Assert.Matches(
            """^\{"bars":\[(\{"t":"2024-01-02T14:3\d:00Z","o":\d+(\.\d+)?,"h":\d+(\.\d+)?,"l":\d+(\.\d+)?,"c":\d+(\.\d+)?,"v":\d+,"n":\d+,"vw":\d+(\.\d+)?\},?){3}\],"symbol":"AAPL","next_page_token":"[A-Za-z0-9+/=]+"\}$""",
            body);
        Assert.DoesNotMatch("""\.\d*0[,}]""", body); // no trailing zeros, as Go writes numbers
        using var doc = JsonDocument.Parse(body);
        var token = doc.RootElement.GetProperty("next_page_token").GetString()!;
        var last = doc.RootElement.GetProperty("bars")[2].GetProperty("t").GetString()!;
        Assert.Equal($"AAPL|M|{last[..^1]}.000000000Z", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(token)));
        answer.Dispose();
    }

    [Fact]
    public async Task MultiEndpoint_AnswersAnObjectBySymbol_LeavingUnknownSymbolsOut()
    {
        await using var fake = await StartAsync(o => o.UnknownSymbols.Add("ZZZZ"));

        var (status, body, answer) = await GetAsync(fake, "/v2/stocks/bars?symbols=TSLA,ZZZZ,AAPL&timeframe=1Day&start=2022-03-09T05:00:00Z&end=2022-03-09T05:00:00Z");
        answer.Dispose();

        Assert.Equal(200, status);
        Assert.Matches("""^\{"bars":\{"AAPL":\[\{"t":"2022-03-09T05:00:00Z",[^\]]*\}\],"TSLA":\[\{"t":"2022-03-09T05:00:00Z",[^\]]*\}\]\},"next_page_token":null\}$""", body);
    }

    [Fact]
    public async Task ExpectedBars_AgreeWithWhatEveryPageServes()
    {
        await using var fake = await StartAsync(o => o.MaxPageSize = 77);
        var range = AlpacaRig.Chunk(2 * 1440);
        var bars = new List<Bar>();
        string? token = null;
        do
        {
            var (_, body, answer) = await GetAsync(
                fake, $"/v2/stocks/MSFT/bars?timeframe=1Min&start=2024-01-02T00:00:00Z&end=2024-01-03T23:59:59Z{(token is null ? "" : "&page_token=" + Uri.EscapeDataString(token))}");
            answer.Dispose();
            var page = Gapless.Providers.Alpaca.AlpacaBarParser.Parse(System.Text.Encoding.UTF8.GetBytes(body), Timeframe.M1);
            bars.AddRange(page.Bars);
            token = page.NextPageToken;
        }
        while (token is not null);

        BarAssert.Equal(fake.ExpectedBars("MSFT", Timeframe.M1, range), bars);
        Assert.InRange(bars.Count, 1500, 1920); // two sessions of 960 minutes, less quiet ones
    }

    [Fact]
    public async Task DailyBars_AreStampedAtNewYorkMidnight()
    {
        await using var fake = await StartAsync();

        var (_, body, answer) = await GetAsync(fake, "/v2/stocks/AAPL/bars?timeframe=1Day&start=2024-03-08T00:00:00Z&end=2024-03-12T00:00:00Z");
        answer.Dispose();

        using var doc = JsonDocument.Parse(body);
        Assert.Equal(
            ["2024-03-08T05:00:00Z", "2024-03-11T04:00:00Z"],
            doc.RootElement.GetProperty("bars").EnumerateArray().Select(b => b.GetProperty("t").GetString()));
    }

    [Fact]
    public async Task Keys_MissingGet401_WrongGet403()
    {
        await using var fake = await StartAsync();

        var (missing, missingBody, a1) = await GetAsync(fake, "/v2/stocks/AAPL/bars?timeframe=1Min", withKeys: false);
        using var http = new HttpClient();
        using var wrong = new HttpRequestMessage(HttpMethod.Get, new Uri(fake.BaseUrl, "/v2/stocks/AAPL/bars?timeframe=1Min"));
        wrong.Headers.Add("APCA-API-KEY-ID", "fake-key-id");
        wrong.Headers.Add("APCA-API-SECRET-KEY", "nope");
        using var a2 = await http.SendAsync(wrong);
        a1.Dispose();

        Assert.Equal((401, """{"message":"unauthorized."}"""), (missing, missingBody));
        Assert.Equal(403, (int)a2.StatusCode);
        Assert.Equal("""{"message":"forbidden."}""", await a2.Content.ReadAsStringAsync());
        Assert.All(fake.Requests, r => Assert.False(r.Authenticated));
    }

    [Fact]
    public async Task RecentSip_GetsTheFreePlansRefusal_ByteForByte()
    {
        await using var fake = await StartAsync();

        var (status, body, answer) = await GetAsync(fake, "/v2/stocks/AAPL/bars?timeframe=1Min&start=2024-06-03T14:00:00Z&end=2024-06-03T14:50:00Z&feed=sip");
        answer.Dispose();

        Assert.Equal(403, status);
        Assert.Equal(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "alpaca-error-recent-sip-403.json")).Trim(), body);
    }

    [Theory]
    [InlineData("/v2/stocks/ZZZZ/bars?timeframe=1Min", "invalid symbol: ZZZZ")]
    [InlineData("/v2/stocks/AAPL/bars?timeframe=1Sec", "invalid timeframe: 1Sec")]
    [InlineData("/v2/stocks/AAPL/bars?timeframe=1Min&limit=10001", "invalid limit: 10001 (must be between 1 and 10000)")]
    [InlineData("/v2/stocks/AAPL/bars?timeframe=1Min&start=2024-01-03T00:00:00Z&end=2024-01-02T00:00:00Z", "end should not be before start")]
    public async Task BadParameters_Get422(string pathAndQuery, string message)
    {
        await using var fake = await StartAsync(o => o.UnknownSymbols.Add("ZZZZ"));

        var (status, body, answer) = await GetAsync(fake, pathAndQuery);
        answer.Dispose();

        Assert.Equal(422, status);
        Assert.Equal($$"""{"code":42210000,"message":"{{message}}"}""", body);
    }

    [Fact]
    public async Task OverTheLimit_Gets429UntilTheWindowResets()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2024, 6, 3, 15, 0, 30, TimeSpan.Zero));
        await using var fake = await FakeAlpaca.StartAsync(new FakeAlpacaOptions { TimeProvider = clock, RequestsPerWindow = 2 });
        const string Query = "/v2/stocks/AAPL/bars?timeframe=1Day&start=2024-01-02T00:00:00Z&end=2024-01-03T00:00:00Z";

        var statuses = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var (status, _, answer) = await GetAsync(fake, Query);
            statuses.Add(status);
            answer.Dispose();
        }

        clock.Advance(TimeSpan.FromSeconds(30));
        var (after, _, last) = await GetAsync(fake, Query);
        last.Dispose();

        Assert.Equal([200, 200, 429], statuses);
        Assert.Equal(200, after);
        var limited = fake.Requests[2];
        Assert.Equal("limit", limited.Fault);
        Assert.Equal(new DateTimeOffset(2024, 6, 3, 15, 1, 0, TimeSpan.Zero), limited.RetryAfterUntil);
    }
}
