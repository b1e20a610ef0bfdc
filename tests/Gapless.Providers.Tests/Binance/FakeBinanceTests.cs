using System.Text.Json;
using Gapless.Core.Model;
using Gapless.FakeVendors.Binance;

namespace Gapless.Providers.Tests.Binance;

/// <summary>The fake itself must be faithful, or the provider tests prove nothing.</summary>
public class FakeBinanceTests
{
    [Fact]
    public async Task Klines_WireFormatMatchesBinance()
    {
        await using var fake = await FakeBinance.StartAsync(FakeBinanceOptions.WithBtcUsdt());
        using var http = new HttpClient();
        var start = UtcTime.ToEpochMs(BinanceRig.Jan1);

        using var answer = await http.GetAsync(new Uri(fake.BaseUrl, $"/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime={start}&endTime={start + 119_999}&limit=5"));
        var body = await answer.Content.ReadAsStringAsync();

        Assert.Equal("application/json; charset=UTF-8", answer.Content.Headers.ContentType!.ToString());
        Assert.Equal("2", answer.Headers.GetValues("X-MBX-USED-WEIGHT-1M").Single());
        using var doc = JsonDocument.Parse(body);
        Assert.Equal(2, doc.RootElement.GetArrayLength());
        var k = doc.RootElement[0];
        Assert.Equal(12, k.GetArrayLength());
        Assert.Equal(start, k[0].GetInt64());
        Assert.Equal(start + 59_999, k[6].GetInt64());
        Assert.Equal(JsonValueKind.Number, k[8].ValueKind);
        Assert.Equal("0", k[11].GetString());
        foreach (var i in new[] { 1, 2, 3, 4, 5, 7, 9, 10 })
        {
            Assert.Matches(@"^\d+\.\d{8}$", k[i].GetString());
        }

        Assert.Matches(@"^\d+\.\d{2}000000$", k[1].GetString());
    }

    [Fact]
    public async Task ExpectedBars_AgreeWithWhatAnyWindowServes()
    {
        await using var fake = await FakeBinance.StartAsync(FakeBinanceOptions.WithBtcUsdt());
        var range = BinanceRig.Chunk(0, 60);

        var whole = fake.ExpectedBars("BTCUSDT", Timeframe.M1, range);
        var halves = fake.ExpectedBars("BTCUSDT", Timeframe.M1, new(range.FromMs, range.FromMs + 1_800_000))
            .Concat(fake.ExpectedBars("BTCUSDT", Timeframe.M1, new(range.FromMs + 1_800_000, range.ToMs)));

        Assert.Equal(60, whole.Count);
        Assert.Equal(whole, halves);
        Assert.All(whole, b => Assert.True(b.Low <= Math.Min(b.Open, b.Close) && b.High >= Math.Max(b.Open, b.Close)));
    }

    [Fact]
    public async Task RequestInsideRetryAfterWindow_IsBannedWith418()
    {
        var options = FakeBinanceOptions.WithBtcUsdt();
        options.RateLimits.Add(FakeRateLimit.Weight(2, "MINUTE", 1));
        options.InFlightGrace = TimeSpan.Zero;
        await using var fake = await FakeBinance.StartAsync(options);
        using var http = new HttpClient();
        var url = new Uri(fake.BaseUrl, "/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=1704067200000&limit=1");

        using var ok = await http.GetAsync(url);
        using var limited = await http.GetAsync(url);
        using var banned = await http.GetAsync(url);

        Assert.Equal(200, (int)ok.StatusCode);
        Assert.Equal(429, (int)limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter!.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(418, (int)banned.StatusCode);
        Assert.Contains("IP banned until", await banned.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(fake.Requests[2].InsideRetryAfter);
    }

    [Fact]
    public async Task UnknownSymbol_AnswersBinancesError()
    {
        await using var fake = await FakeBinance.StartAsync(FakeBinanceOptions.WithBtcUsdt());
        using var http = new HttpClient();

        using var answer = await http.GetAsync(new Uri(fake.BaseUrl, "/api/v3/exchangeInfo?symbol=BAD"));

        Assert.Equal(400, (int)answer.StatusCode);
        Assert.Equal("""{"code":-1121,"msg":"Invalid symbol."}""", await answer.Content.ReadAsStringAsync());
    }
}
