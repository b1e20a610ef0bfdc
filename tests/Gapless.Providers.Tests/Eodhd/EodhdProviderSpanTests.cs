using Gapless.Core.Model;
using Gapless.Providers.Eodhd;
using Gapless.Testing;

namespace Gapless.Providers.Tests.Eodhd;

/// <summary>Chunks longer than one request's span: a few hundred thousand bars each.</summary>
[Collection(EodhdFakeCollection.Name)]
public class EodhdProviderSpanTests
{
    private const long Day = 86_400;

    [Fact]
    public async Task Fetch_1mChunkLongerThan120Days_SplitsIntoTheFewestRequestsAndEqualsGroundTruth()
    {
        await using var rig = await EodhdRig.StartAsync();
        var chunk = EodhdRig.Days(250);

        var bars = await rig.FetchAsync(chunk);

        BarAssert.Equal(rig.Expected(chunk), bars);
        Assert.True(bars.Count > 150_000);
        var requests = rig.Intraday;
        Assert.Equal(3, requests.Count); // ⌈250 / 120⌉
        Assert.All(requests, r => Assert.True(r.To - r.From <= 120 * Day));
        Assert.Equal(chunk.FromMs / 1000, requests[0].From);
        Assert.Equal((chunk.ToMs / 1000) - 1, requests[^1].To);
        for (var i = 1; i < requests.Count; i++)
        {
            Assert.Equal(requests[i - 1].To + 1, requests[i].From); // contiguous, nothing asked twice
        }

        Assert.All(requests, r => Assert.Equal(200, r.Status));
    }

    [Theory]
    [InlineData("5m", 601, 2, 2022)]
    [InlineData("1h", 7201, 2, 2005)]
    public async Task Fetch_5mAnd1hChunks_AreSplitAtTheirOwnSpans(string timeframe, int days, int requests, int year)
    {
        await using var rig = await EodhdRig.StartAsync();
        var series = EodhdRig.Aapl(Timeframe.Parse(timeframe));
        var chunk = EodhdRig.Days(days, new DateTimeOffset(year, 1, 3, 0, 0, 0, TimeSpan.Zero));

        var bars = await rig.FetchAsync(chunk, series: series);

        BarAssert.Equal(rig.Expected(chunk, series), bars);
        Assert.Equal(requests, rig.Intraday.Count);
        var span = (long)EodhdProvider.MaxSpanFor(series.Timeframe)!.Value.TotalSeconds;
        Assert.Equal(span - 1, rig.Intraday[0].To - rig.Intraday[0].From);
    }
}
