using Gapless.Providers.Binance;
using Gapless.Providers.Binance.Models;

namespace Gapless.Providers.Tests.Binance;

public class BinanceWeightLimitTests
{
    [Fact]
    public void From_BinancesPublishedLimits_PicksRequestWeight()
    {
        var limit = BinanceWeightLimit.From(
        [
            new RateLimitEntry("REQUEST_WEIGHT", "MINUTE", 1, 6000),
            new RateLimitEntry("ORDERS", "SECOND", 10, 100),
            new RateLimitEntry("RAW_REQUESTS", "MINUTE", 5, 61000),
        ]);

        Assert.Equal(new BinanceWeightLimit(6000, TimeSpan.FromMinutes(1), "X-MBX-USED-WEIGHT-1M"), limit);
    }

    [Fact]
    public void From_SeveralWeightLimits_KeepsTheShortestWindow()
    {
        var limit = BinanceWeightLimit.From(
        [
            new RateLimitEntry("REQUEST_WEIGHT", "DAY", 1, 100000),
            new RateLimitEntry("REQUEST_WEIGHT", "SECOND", 2, 40),
        ]);

        Assert.Equal(new BinanceWeightLimit(40, TimeSpan.FromSeconds(2), "X-MBX-USED-WEIGHT-2S"), limit);
    }

    [Fact]
    public void From_NoWeightLimit_IsNull()
        => Assert.Null(BinanceWeightLimit.From([new RateLimitEntry("ORDERS", "SECOND", 10, 100)]));

    [Fact]
    public void Default_OneMinute_UsesTheMinuteHeader()
        => Assert.Equal("X-MBX-USED-WEIGHT-1M", BinanceWeightLimit.Default(6000, TimeSpan.FromMinutes(1)).UsedWeightHeader);
}
