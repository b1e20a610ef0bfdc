using Gapless.Core.Model;
using Gapless.Providers.Alpaca;

namespace Gapless.Providers.Tests.Alpaca;

public class AlpacaRequestTests
{
    private static TimeRange Range(string from, string to)
        => TimeRange.Of(DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(to, System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void SingleBars_Intraday_AsksFromTheChunksStartToOneSecondBeforeItsEnd()
    {
        var query = AlpacaBarsQuery.For(Timeframe.M1, Range("2024-01-02T14:30Z", "2024-01-02T16:10Z"), 100, AlpacaFeed.Iex, AlpacaAdjustment.Raw);

        var request = AlpacaRequest.SingleBars("AAPL", query, null);

        Assert.Equal(
            "/v2/stocks/AAPL/bars?timeframe=1Min&start=2024-01-02T14:30:00Z&end=2024-01-02T16:09:59Z&limit=100&adjustment=raw&feed=iex&sort=asc",
            request.PathAndQuery);
        Assert.Equal(["AAPL"], request.Symbols);
    }

    [Fact]
    public void SingleBars_NextPage_AddsTheEscapedToken()
    {
        var query = AlpacaBarsQuery.For(Timeframe.H1, Range("2024-01-02T00:00Z", "2024-01-03T00:00Z"), 24, AlpacaFeed.Sip, AlpacaAdjustment.All);

        var request = AlpacaRequest.SingleBars("BRK.B", query, "QUFQTHxNfDIw+/MjItMDQ=");

        Assert.Equal(
            "/v2/stocks/BRK.B/bars?timeframe=1Hour&start=2024-01-02T00:00:00Z&end=2024-01-02T23:59:59Z&limit=24&adjustment=all&feed=sip&sort=asc&page_token=QUFQTHxNfDIw%2B%2FMjItMDQ%3D",
            request.PathAndQuery);
    }

    [Fact]
    public void MultiBars_NamesEverySymbol_AndTheLimitCountsThemAll()
    {
        var query = AlpacaBarsQuery.For(Timeframe.M5, Range("2024-01-02T00:00Z", "2024-01-03T00:00Z"), 288 * 3, AlpacaFeed.Iex, AlpacaAdjustment.Split);

        var request = AlpacaRequest.MultiBars(["AAPL", "MSFT", "TSLA"], query, null);

        Assert.Equal(
            "/v2/stocks/bars?symbols=AAPL,MSFT,TSLA&timeframe=5Min&start=2024-01-02T00:00:00Z&end=2024-01-02T23:59:59Z&limit=864&adjustment=split&feed=iex&sort=asc",
            request.PathAndQuery);
    }

    [Fact]
    public void Limit_IsCappedAtTenThousand()
    {
        Assert.Equal(10_000, AlpacaBarsQuery.For(Timeframe.M1, Range("2024-01-01T00:00Z", "2024-02-01T00:00Z"), 44_640, AlpacaFeed.Iex, AlpacaAdjustment.Raw).Limit);
    }

    [Theory]
    [InlineData("2024-01-02T00:00Z", "2024-01-05T00:00Z", "2024-01-02T05:00:00Z", "2024-01-04T05:00:00Z")] // winter
    [InlineData("2024-07-01T00:00Z", "2024-07-03T00:00Z", "2024-07-01T04:00:00Z", "2024-07-02T04:00:00Z")] // summer
    [InlineData("2024-03-08T00:00Z", "2024-03-12T00:00Z", "2024-03-08T05:00:00Z", "2024-03-11T04:00:00Z")] // across the spring change
    public void Daily_AsksFromNewYorkMidnightOfTheFirstDateToNewYorkMidnightOfTheLast(string from, string to, string start, string end)
    {
        var query = AlpacaBarsQuery.For(Timeframe.D1, Range(from, to), 3, AlpacaFeed.Iex, AlpacaAdjustment.Raw);

        Assert.Equal("1Day", query.Timeframe);
        Assert.Equal(start, query.Start);
        Assert.Equal(end, query.End);
    }

    [Fact]
    public void Weekly_AsksThroughTheLastDayOfTheLastWeek_SoATuesdayStampIsIncluded()
    {
        // Weeks of Jan 1 and Jan 8, 2024: through Sunday Jan 14, New York midnight.
        var query = AlpacaBarsQuery.For(Timeframe.W1, Range("2024-01-01T00:00Z", "2024-01-15T00:00Z"), 2, AlpacaFeed.Iex, AlpacaAdjustment.Raw);

        Assert.Equal(("1Week", "2024-01-01T05:00:00Z", "2024-01-14T05:00:00Z"), (query.Timeframe, query.Start, query.End));
    }

    [Fact]
    public void Monthly_AsksThroughTheLastDayOfTheLastMonth()
    {
        var query = AlpacaBarsQuery.For(Timeframe.Month1, Range("2024-01-01T00:00Z", "2024-04-01T00:00Z"), 3, AlpacaFeed.Iex, AlpacaAdjustment.Raw);

        Assert.Equal(("1Month", "2024-01-01T05:00:00Z", "2024-03-31T04:00:00Z"), (query.Timeframe, query.Start, query.End));
    }

    [Theory]
    [InlineData("1m", "1Min")]
    [InlineData("3m", "3Min")]
    [InlineData("5m", "5Min")]
    [InlineData("15m", "15Min")]
    [InlineData("30m", "30Min")]
    [InlineData("1h", "1Hour")]
    [InlineData("2h", "2Hour")]
    [InlineData("4h", "4Hour")]
    [InlineData("6h", "6Hour")]
    [InlineData("8h", "8Hour")]
    [InlineData("12h", "12Hour")]
    [InlineData("1d", "1Day")]
    [InlineData("1w", "1Week")]
    [InlineData("1M", "1Month")]
    public void Timeframes_MapToAlpacasCodes(string gapless, string alpaca)
    {
        Assert.Equal(alpaca, AlpacaWire.Code(Timeframe.Parse(gapless)));
    }

    [Fact]
    public void ThreeDayBars_AreNotServed()
    {
        Assert.Null(AlpacaWire.Code(Timeframe.D3));
        Assert.DoesNotContain(Timeframe.D3, AlpacaWire.Timeframes);
        Assert.Equal(14, AlpacaWire.Timeframes.Count);
    }
}
