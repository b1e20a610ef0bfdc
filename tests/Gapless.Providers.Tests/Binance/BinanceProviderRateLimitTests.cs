using Gapless.Core.Model;
using Gapless.FakeVendors.Binance;

namespace Gapless.Providers.Tests.Binance;

public class BinanceProviderRateLimitTests
{
    [Fact]
    public async Task Fetch_429_NothingIsSentInsideTheRetryAfterWindowAndNoBan()
    {
        await using var rig = await BinanceRig.StartAsync(fake: o =>
        {
            o.TooManyRequestsRate = 0.3;
            o.InjectedRetryAfterSeconds = 1;
        });

        var bars = new List<Bar>();
        for (var i = 0; i < 6; i++)
        {
            bars.AddRange(await rig.FetchAsync(BinanceRig.Chunk(i, 100)));
        }

        Assert.Equal(rig.Expected(new(BinanceRig.Chunk(0, 100).FromMs, BinanceRig.Chunk(5, 100).ToMs)), bars);
        var log = rig.Fake.Requests;
        var windows = log.Where(r => r.Status == 429).Select(r => (From: r.RetryAfterFrom!.Value, Until: r.RetryAfterUntil!.Value)).ToList();
        Assert.NotEmpty(windows);
        Assert.DoesNotContain(log, r => windows.Any(w => r.At > w.From && r.At < w.Until));
        Assert.DoesNotContain(log, r => r.Status == 418 || r.InsideRetryAfter);
    }

    [Fact]
    public async Task Fetch_WeightLimitFromExchangeInfo_IsNeverExceeded()
    {
        // 30 weight per 2 s, published only in exchangeInfo: the default 6000/min would run straight into 429s.
        await using var rig = await BinanceRig.StartAsync(
            fake: o => o.RateLimits.Add(FakeRateLimit.Weight(30, "SECOND", 2)),
            provider: o => o.SafetyMarginWeight = 4);
        var chunks = Enumerable.Range(0, 24).Select(i => BinanceRig.Chunk(i, 10)).ToList();

        var results = await Task.WhenAll(chunks.Select(c => rig.FetchAsync(c)));

        Assert.Equal(chunks.Select(c => rig.Expected(c)), results);
        var log = rig.Fake.Requests;
        Assert.DoesNotContain(log, r => r.Status != 200);
        var perWindow = log.GroupBy(r => r.At.ToUnixTimeMilliseconds() / 2000).Select(g => g.Sum(r => r.Weight)).ToList();
        Assert.All(perWindow, w => Assert.True(w <= 30, $"{w} weight in one window"));
        Assert.True(perWindow.Count >= 3, "68 weight at 30 per window needs at least three windows");
        Assert.Equal(TimeSpan.FromSeconds(2), rig.Provider.Client.Limiter.Window);
        Assert.Equal(30, rig.Provider.Client.Limiter.Limit);
    }

    [Fact]
    public async Task Fetch_WeightSpentElsewhere_IsLearntFromTheUsedWeightHeader()
    {
        await using var rig = await BinanceRig.StartAsync(
            fake: o => o.RateLimits.Add(FakeRateLimit.Weight(30, "SECOND", 2)),
            provider: o => o.SafetyMarginWeight = 0);
        await rig.FetchAsync(BinanceRig.Chunk(0, 10)); // learns the limit
        await WaitForAFreshWindowAsync(2000);

        // Another tool on the same IP spends 20 of this window's 30.
        using (var other = new HttpClient())
        {
            using var answer = await other.GetAsync(new Uri(rig.Fake.BaseUrl, "/api/v3/exchangeInfo?symbol=BTCUSDT"));
            Assert.Equal("20", answer.Headers.GetValues("X-MBX-USED-WEIGHT-2S").Single());
        }

        rig.Fake.ClearRequests();
        for (var i = 1; i <= 8; i++)
        {
            await rig.FetchAsync(BinanceRig.Chunk(i, 10));
        }

        // Counting only its own weight, the provider would have sent all 8 (16 weight) into the 10 left.
        Assert.DoesNotContain(rig.Fake.Requests, r => r.Status != 200);
        Assert.True(rig.Fake.Requests.Select(r => r.At.ToUnixTimeMilliseconds() / 2000).Distinct().Count() >= 2);
    }

    private static async Task WaitForAFreshWindowAsync(long windowMs)
    {
        var ms = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        await Task.Delay(TimeSpan.FromMilliseconds(windowMs - (ms % windowMs) + 20));
    }
}
