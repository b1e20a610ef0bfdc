using Gapless.Core.Ports;

namespace Gapless.Providers.Tests.Binance;

public class BinanceProviderChaosTests
{
    [Fact]
    public async Task Fetch_ConcurrentlyUnderMixedFaults_EqualsACleanRunWithoutBan()
    {
        // The acceptance mix: 10% 5xx, 5% 429, 2% truncated bodies, four requests in flight.
        await using var clean = await BinanceRig.StartAsync(fake: o => o.Seed = 7);
        await using var rig = await BinanceRig.StartAsync(fake: o =>
        {
            o.Seed = 7;
            o.ServerErrorRate = 0.10;
            o.TooManyRequestsRate = 0.05;
            o.TruncatedBodyRate = 0.02;
        });
        var chunks = Enumerable.Range(0, 30).Select(i => BinanceRig.Chunk(i)).ToList();
        using var inFlight = new SemaphoreSlim(4);

        var results = await Task.WhenAll(chunks.Select(async c =>
        {
            await inFlight.WaitAsync();
            try
            {
                return await rig.FetchAsync(c, new VendorCallLog());
            }
            finally
            {
                inFlight.Release();
            }
        }));

        for (var i = 0; i < chunks.Count; i++)
        {
            Assert.Equal(await clean.FetchAsync(chunks[i]), results[i]);
            Assert.Equal(rig.Expected(chunks[i]), results[i]);
        }

        var log = rig.Fake.Requests;
        Assert.DoesNotContain(log, r => r.Status == 418 || r.InsideRetryAfter);
        Assert.Contains(log, r => r.Status == 503);
    }
}
