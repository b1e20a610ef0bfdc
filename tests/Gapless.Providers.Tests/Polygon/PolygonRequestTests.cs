using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Providers.Polygon;

namespace Gapless.Providers.Tests.Polygon;

public class PolygonRequestTests
{
    private static long Utc(string iso) => UtcTime.ToEpochMs(DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("1m", "1/minute")]
    [InlineData("3m", "3/minute")]
    [InlineData("5m", "5/minute")]
    [InlineData("15m", "15/minute")]
    [InlineData("30m", "30/minute")]
    [InlineData("1h", "1/hour")]
    [InlineData("2h", "2/hour")]
    [InlineData("4h", "4/hour")]
    [InlineData("6h", "6/hour")]
    [InlineData("8h", "8/hour")]
    [InlineData("12h", "12/hour")]
    [InlineData("1d", "1/day")]
    [InlineData("1w", "1/week")]
    [InlineData("1M", "1/month")]
    public void Aggs_MapsEachTimeframeToMultiplierAndTimespan(string timeframe, string span)
    {
        var tf = Timeframe.Parse(timeframe);
        var part = new TimeRange(tf.Floor(Utc("2024-03-04T00:00:00Z")), tf.Add(tf.Floor(Utc("2024-03-04T00:00:00Z")), 3));

        var path = PolygonRequest.Aggs("AAPL", tf, part, adjusted: true);

        Assert.StartsWith($"/v2/aggs/ticker/AAPL/range/{span}/", path, StringComparison.Ordinal);
        Assert.EndsWith("?adjusted=true&sort=asc&limit=50000", path, StringComparison.Ordinal);
    }

    [Fact]
    public void Served_IsEveryTimeframeBut3d()
    {
        Assert.Equal(Timeframe.All.Where(t => t != Timeframe.D3), PolygonTimespan.Served);
    }

    [Fact]
    public void Aggs_Intraday_SendsTheFirstAndLastBarStartsInMilliseconds()
    {
        var part = new TimeRange(Utc("2024-03-04T14:00:00Z"), Utc("2024-03-04T15:00:00Z"));

        var path = PolygonRequest.Aggs("AAPL", Timeframe.M5, part, adjusted: false);

        // to is snapped to the end of the bar holding it: the last bar's start asks for exactly the chunk.
        Assert.Equal($"/v2/aggs/ticker/AAPL/range/5/minute/{part.FromMs}/{part.ToMs - 300_000}?adjusted=false&sort=asc&limit=50000", path);
    }

    [Fact]
    public void Bounds_Daily_AreNewYorkMidnightsOfTheFirstAndLastDates()
    {
        // 2024-03-04 to 2024-03-15 inclusive; New York moved to EDT on the 10th.
        var (from, to) = PolygonRequest.Bounds(Timeframe.D1, new TimeRange(Utc("2024-03-04T00:00:00Z"), Utc("2024-03-16T00:00:00Z")));

        Assert.Equal(Utc("2024-03-04T05:00:00Z"), from);
        Assert.Equal(Utc("2024-03-15T04:00:00Z"), to);
    }

    [Fact]
    public void Bounds_Weekly_StartOnTheSundaysBeforeTheMondays()
    {
        var (from, to) = PolygonRequest.Bounds(Timeframe.W1, new TimeRange(Utc("2024-03-04T00:00:00Z"), Utc("2024-03-25T00:00:00Z")));

        Assert.Equal(Utc("2024-03-03T05:00:00Z"), from);
        Assert.Equal(Utc("2024-03-17T04:00:00Z"), to);
    }

    [Fact]
    public void Bounds_Monthly_AreNewYorkMidnightsOfTheFirsts()
    {
        var (from, to) = PolygonRequest.Bounds(Timeframe.Month1, new TimeRange(Utc("2024-01-01T00:00:00Z"), Utc("2024-05-01T00:00:00Z")));

        Assert.Equal(Utc("2024-01-01T05:00:00Z"), from);
        Assert.Equal(Utc("2024-04-01T04:00:00Z"), to);
    }

    [Theory]
    [InlineData("1m", 50_000, 1)]
    [InlineData("1m", 50_001, 2)]
    [InlineData("5m", 10_000, 1)]
    [InlineData("5m", 10_001, 2)]
    [InlineData("1h", 833, 1)]
    [InlineData("1h", 1000, 2)]
    [InlineData("12h", 69, 1)]
    [InlineData("12h", 70, 2)]
    [InlineData("1d", 50_000, 1)]
    [InlineData("1w", 2_000, 1)]
    public void Split_KeepsEveryRequestWithin50000BaseAggregates(string timeframe, int bars, int requests)
    {
        var tf = Timeframe.Parse(timeframe);
        var from = tf.Floor(Utc("2000-01-03T00:00:00Z"));
        var chunk = new TimeRange(from, tf.Add(from, bars));

        var parts = PolygonRequest.Split(chunk, tf);

        Assert.Equal(requests, parts.Count);
        Assert.Equal(chunk.FromMs, parts[0].FromMs);
        Assert.Equal(chunk.ToMs, parts[^1].ToMs);
        var baseMs = PolygonTimespan.BaseLengthMs(tf);
        Assert.All(parts, p => Assert.True(p.LengthMs / baseMs <= PolygonRequest.MaxBaseAggregates, $"{p} spans {p.LengthMs / baseMs} base aggregates"));
        Assert.All(parts, p => Assert.True(tf.IsAligned(p.FromMs) && tf.IsAligned(p.ToMs)));
        Assert.All(parts.Zip(parts.Skip(1)), pair => Assert.Equal(pair.First.ToMs, pair.Second.FromMs));
    }

    [Theory]
    [InlineData("AAPL", "AAPL")]
    [InlineData("BRK.B", "BRK.B")]
    [InlineData("O:SPY250117C00500000", "O:SPY250117C00500000")]
    [InlineData("SPY   250117C00500000", "O:SPY250117C00500000")]
    [InlineData("EVRI  240119C00002500", "O:EVRI240119C00002500")]
    [InlineData("X:BTCUSD", "X:BTCUSD")]
    public void VendorTicker_SpellsOccOptionsThePolygonWay(string symbol, string vendor)
    {
        Assert.Equal(vendor, PolygonRequest.VendorTicker(symbol));
    }

    [Theory]
    [InlineData("O:SPY250117C00500000", "O:SPY250117C00500000")]
    [InlineData("AGM/A", "AGM%2FA")]
    [InlineData("A B", "A%20B")]
    public void EscapeSegment_KeepsWhatAPathSegmentMayHold(string ticker, string segment)
    {
        Assert.Equal(segment, PolygonRequest.EscapeSegment(ticker));
    }

    [Theory]
    [InlineData("https://api.polygon.io/v2/aggs/ticker/AAPL/range/1/day/1578114000000/2020-01-10?cursor=bGltaXQ9MiZzb3J0PWFzYw")]
    [InlineData("https://api.massive.com/v2/aggs/ticker/AAPL/range/1/day/1578114000000/2020-01-10?cursor=bGltaXQ9MiZzb3J0PWFzYw")]
    [InlineData("http://127.0.0.1:5123/v2/aggs/ticker/AAPL/range/1/day/1578114000000/2020-01-10?cursor=bGltaXQ9MiZzb3J0PWFzYw")]
    public void NextUrl_OnTheVendorsOrTheConfiguredHost_IsFollowedOnTheConfiguredHost(string nextUrl)
    {
        var path = PolygonNextUrl.Resolve(nextUrl, new Uri("http://127.0.0.1:5123"), "/v2/aggs/…");

        Assert.Equal("/v2/aggs/ticker/AAPL/range/1/day/1578114000000/2020-01-10?cursor=bGltaXQ9MiZzb3J0PWFzYw", path);
    }

    [Theory]
    [InlineData("https://api.polygon.io.evil.example/v2/aggs/ticker/AAPL/range/1/day/1/2?cursor=x", "another host")]
    [InlineData("http://127.0.0.1:9999/v2/aggs/ticker/AAPL/range/1/day/1/2?cursor=x", "another host")]
    [InlineData("https://api.polygon.io/v1/other?cursor=x", "outside the aggregates API")]
    [InlineData("/v2/aggs/ticker/AAPL/range/1/day/1/2?cursor=x", "not an http(s) URL")]
    [InlineData("ftp://api.polygon.io/v2/aggs/ticker/AAPL/range/1/day/1/2", "not an http(s) URL")]
    public void NextUrl_ElsewhereIsRefusedBeforeAnythingIsSent(string nextUrl, string reason)
    {
        var e = Assert.Throws<VendorException>(() => PolygonNextUrl.Resolve(nextUrl, new Uri("http://127.0.0.1:5123"), "/v2/aggs/…"));

        Assert.Equal(VendorErrorKind.Refused, e.Kind);
        Assert.False(e.IsTransient);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }
}
