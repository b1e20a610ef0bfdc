using System.Text;
using System.Text.Json;
using Gapless.Core.Model;
using Gapless.Providers.Polygon;
using Gapless.Testing;

namespace Gapless.Providers.Tests.Polygon;

public class PolygonAggsParserTests
{
    private static long Utc(int year, int month, int day, int hour = 0, int minute = 0)
        => UtcTime.ToEpochMs(new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.Zero));

    [Fact]
    public void Parse_DailySample_ExactValuesAtUtcMidnightOfTheNewYorkDate()
    {
        // t = 2005-04-01 05:00Z (midnight EST) and 2005-04-04 04:00Z (midnight EDT, the day after the switch).
        var page = PolygonAggsParser.Parse(Fixture.Bytes("polygon-aggs-AAPL.json"), Timeframe.D1);

        BarAssert.Equal(
            [
                new Bar(Utc(2005, 4, 1), 1.5032m, 1.5064m, 1.4489m, 1.4604m, 642646396.0m, Trades: 82132, Vwap: 1.469m),
                new Bar(Utc(2005, 4, 4), 1.4639m, 1.4754m, 1.4343m, 1.4675m, 578172308.0m, Trades: 65543, Vwap: 1.4589m),
            ],
            page.Bars);
        Assert.Equal("642646396.0", BarAssert.Text(page.Bars[0]).Split('|')[5]); // the double's text, scale and all
        Assert.Null(page.NextUrl);
        Assert.Equal("OK", page.Status);
        Assert.True(page.IsData);
    }

    [Fact]
    public void Parse_OpenApiExample_ReadsNextUrlAndWholeVolumes()
    {
        var page = PolygonAggsParser.Parse(Fixture.Bytes("polygon-aggs-AAPL-openapi-example.json"), Timeframe.D1);

        BarAssert.Equal(
            [
                new Bar(Utc(2020, 1, 2), 74.06m, 75.15m, 73.7975m, 75.0875m, 135647456m, Trades: 1, Vwap: 74.6099m),
                new Bar(Utc(2020, 1, 3), 74.2875m, 75.145m, 74.125m, 74.3575m, 146535512m, Trades: 1, Vwap: 74.7026m),
            ],
            page.Bars);
        Assert.Equal("https://api.polygon.io/v2/aggs/ticker/AAPL/range/1/day/1578114000000/2020-01-10?cursor=bGltaXQ9MiZzb3J0PWFzYw", page.NextUrl);
    }

    [Fact]
    public void Parse_EmptyAnswerWithoutResultsKey_IsNoBarsAndData()
    {
        var page = PolygonAggsParser.Parse(Fixture.Bytes("polygon-aggs-empty-AAMC.json"), Timeframe.M1);

        Assert.Empty(page.Bars);
        Assert.Null(page.NextUrl);
        Assert.True(page.IsData);
    }

    [Fact]
    public void Parse_NotAuthorizedBody_IsNotData()
    {
        var page = PolygonAggsParser.Parse(Fixture.Bytes("polygon-error-not-authorized.json"), Timeframe.M1);

        Assert.Empty(page.Bars);
        Assert.Equal("NOT_AUTHORIZED", page.Status);
        Assert.False(page.IsData);
    }

    [Theory]
    [InlineData("7.0254e+07", "70254000")]
    [InlineData("7.0254342e+07", "70254342")]
    [InlineData("70254342.0", "70254342.0")]
    [InlineData("70254342", "70254342")]
    [InlineData("1.5e+03", "1500")]
    [InlineData("123.45", "123.45")]
    public void Parse_VolumeAsADouble_IsTheExactDecimalOfItsText(string wire, string expected)
    {
        var json = $$"""{"ticker":"X","results":[{"v":{{wire}},"vw":1.5,"o":1,"c":2,"h":2.5,"l":0.5,"t":1709560800000,"n":3}],"status":"OK"}""";

        var bar = Assert.Single(PolygonAggsParser.Parse(Encoding.UTF8.GetBytes(json), Timeframe.M1).Bars);

        Assert.Equal(expected, bar.Volume.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Parse_IntradayAggregates_KeepTheirUtcStartAndOptionalFields()
    {
        const string json = """{"results":[{"v":100,"o":1,"c":2,"h":2,"l":1,"t":1709560800000},{"v":5,"vw":1.25,"o":1,"c":1,"h":1,"l":1,"t":1709560860000,"n":2,"otc":true}],"status":"DELAYED"}""";

        var page = PolygonAggsParser.Parse(Encoding.UTF8.GetBytes(json), Timeframe.M1);

        Assert.Equal([1709560800000, 1709560860000], page.Bars.Select(b => b.OpenTimeMs));
        Assert.Null(page.Bars[0].Vwap);
        Assert.Null(page.Bars[0].Trades);
        Assert.Equal((1.25m, 2L), (page.Bars[1].Vwap, page.Bars[1].Trades));
        Assert.True(page.IsData);
    }

    [Theory]
    [InlineData("1d", "2024-03-08T05:00:00Z", "2024-03-08T00:00:00Z")] // midnight EST
    [InlineData("1d", "2024-03-11T04:00:00Z", "2024-03-11T00:00:00Z")] // midnight EDT
    [InlineData("1d", "2024-03-11T00:00:00Z", "2024-03-11T00:00:00Z")] // already UTC midnight (other markets)
    [InlineData("1d", "2024-03-11T13:30:00Z", "2024-03-11T13:30:00Z")] // neither: kept, for the validator
    [InlineData("1w", "2024-03-10T05:00:00Z", "2024-03-11T00:00:00Z")] // Sunday midnight New York: the Monday's week
    [InlineData("1w", "2024-03-03T05:00:00Z", "2024-03-04T00:00:00Z")]
    [InlineData("1M", "2024-03-01T05:00:00Z", "2024-03-01T00:00:00Z")]
    [InlineData("1M", "2024-04-01T04:00:00Z", "2024-04-01T00:00:00Z")]
    [InlineData("1h", "2024-03-11T04:00:00Z", "2024-03-11T04:00:00Z")] // intraday: as sent
    public void OpenTime_NormalisesDailyAndLongerToGaplessDates(string timeframe, string vendor, string gapless)
    {
        var t = UtcTime.ToEpochMs(DateTimeOffset.Parse(vendor, System.Globalization.CultureInfo.InvariantCulture));

        var open = PolygonAggsParser.OpenTime(t, Timeframe.Parse(timeframe));

        Assert.Equal(gapless, UtcTime.ToIso(open));
    }

    [Fact]
    public void Parse_TruncatedAnswer_Throws()
    {
        var body = Fixture.Bytes("polygon-aggs-AAPL.json");

        Assert.ThrowsAny<JsonException>(() => PolygonAggsParser.Parse(body.AsSpan(0, body.Length / 2), Timeframe.D1));
    }

    [Fact]
    public void Parse_AggregateWithoutItsTime_Throws()
    {
        var json = """{"results":[{"v":1,"o":1,"c":1,"h":1,"l":1}],"status":"OK"}"""u8.ToArray();

        var e = Assert.ThrowsAny<JsonException>(() => PolygonAggsParser.Parse(json, Timeframe.M1));

        Assert.Contains("'t'", e.Message, StringComparison.Ordinal);
    }
}
