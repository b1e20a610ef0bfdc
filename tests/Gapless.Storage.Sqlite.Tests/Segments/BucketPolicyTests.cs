using Gapless.Core.Model;
using Gapless.Storage.Sqlite.Segments;

namespace Gapless.Storage.Sqlite.Tests.Segments;

public sealed class BucketPolicyTests
{
    private static readonly long Instant = DateTimeOffset.Parse("2024-02-29T13:47:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    [Theory]
    [InlineData("1m", "2024-02-29T00:00:00Z", "2024-03-01T00:00:00Z")]
    [InlineData("5m", "2024-02-29T00:00:00Z", "2024-03-01T00:00:00Z")]
    [InlineData("15m", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z")]
    [InlineData("1h", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z")]
    [InlineData("2h", "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z")]
    [InlineData("1d", "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z")]
    public void Bucket_HoldsTheInstant_AndEndsWhereTheNextStarts(string timeframe, string start, string end)
    {
        var policy = BucketPolicy.For(Timeframe.Parse(timeframe));

        Assert.Equal(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), policy.Start(Instant));
        Assert.Equal(DateTimeOffset.Parse(end, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), policy.End(policy.Start(Instant)));
    }

    [Theory]
    [InlineData("3d")]
    [InlineData("1w")]
    [InlineData("1M")]
    public void LongTimeframes_ShareOneBucketForAllTime(string timeframe)
    {
        var policy = BucketPolicy.For(Timeframe.Parse(timeframe));

        Assert.Equal(BucketPolicy.AllTimeStart, policy.Start(Instant));
        Assert.Equal(BucketPolicy.AllTimeStart, policy.Start(-86_400_000L * 365 * 30));
    }

    [Fact]
    public void DayBucket_BeforeTheEpoch_FloorsDown()
    {
        var policy = BucketPolicy.For(Timeframe.M1);

        Assert.Equal(-86_400_000, policy.Start(-1));
        Assert.Equal(0, policy.Start(0));
    }
}
