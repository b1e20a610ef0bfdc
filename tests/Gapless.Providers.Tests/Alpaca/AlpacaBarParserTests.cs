using System.Text;
using System.Text.Json;
using Gapless.Core.Model;
using Gapless.Providers.Alpaca;

namespace Gapless.Providers.Tests.Alpaca;

public class AlpacaBarParserTests
{
    private static long Ms(string iso) => UtcTime.ToEpochMs(DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture));

    private static AlpacaBarsPage Parse(string json, Timeframe? tf = null) => AlpacaBarParser.Parse(Encoding.UTF8.GetBytes(json), tf ?? Timeframe.M1);

    [Fact]
    public void Parse_MultiSymbolSample_ReadsEveryFieldExactly_AndStampsDailyBarsAtUtcMidnight()
    {
        var page = AlpacaBarParser.Parse(Fixture.Bytes("alpaca-bars-AAPL-TSLA-multi.json"), Timeframe.D1);

        Assert.Null(page.NextPageToken);
        Assert.Empty(page.Bars);
        Assert.Equal(["AAPL", "TSLA"], page.BarsBySymbol.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, page.Count);

        // "t": "2022-03-09T05:00:00Z" is New York midnight (EST) of March 9: the daily bar of March 9.
        var aapl = Assert.Single(page.BarsBySymbol["AAPL"]);
        Assert.Equal(new Bar(Ms("2022-03-09T00:00:00Z"), 161.51m, 163.41m, 159.41m, 162.95m, 88496480m, Trades: 700291, Vwap: 161.942117m), aapl);
        Assert.Equal("1646784000000|161.51|163.41|159.41|162.95|88496480||700291|161.942117|", Gapless.Testing.BarAssert.Text(aapl));

        var tsla = Assert.Single(page.BarsBySymbol["TSLA"]);
        Assert.Equal(839m, tsla.Open);
        Assert.Equal(0, tsla.Open.Scale); // "839", not 839.0: exactly the token's text
        Assert.Equal(860.56m, tsla.High);
        Assert.Equal(832.01m, tsla.Low);
        Assert.Equal(858.97m, tsla.Close);
        Assert.Equal(19227323m, tsla.Volume);
        Assert.Equal(528531, tsla.Trades);
        Assert.Equal(850.616587m, tsla.Vwap);
        Assert.Null(tsla.QuoteVolume);
    }

    [Fact]
    public void Parse_SingleEndpointSample_ReadsTheArrayTheSymbolAndTheToken_AndKeepsIntradayTimes()
    {
        var page = AlpacaBarParser.Parse(Fixture.Bytes("alpaca-bars-AAPL-single-endpoint-docs.json"), Timeframe.M1);

        Assert.Equal("AAPL", page.Symbol);
        Assert.Equal("QUFQTHxNfDIwMjItMDQtMTFUMDg6MDA6MDAuMDAwMDAwMDAwWg==", page.NextPageToken);
        Assert.Empty(page.BarsBySymbol);
        var bar = Assert.Single(page.Bars);
        Assert.Equal(new Bar(Ms("2022-04-11T08:00:00Z"), 168.99m, 169.81m, 168.99m, 169m, 7170m, Trades: 206, Vwap: 169.233976m), bar);
    }

    [Fact]
    public void Parse_PagedSamples_NormaliseSummerDailyStampsAndCarryTheTokens()
    {
        var page1 = AlpacaBarParser.Parse(Fixture.Bytes("alpaca-bars-META-asof-page1.json"), Timeframe.D1);
        var page2 = AlpacaBarParser.Parse(Fixture.Bytes("alpaca-bars-META-asof-page2.json"), Timeframe.D1);

        // 04:00Z in June is New York midnight (EDT).
        Assert.Equal([Ms("2022-06-08T00:00:00Z"), Ms("2022-06-09T00:00:00Z")], page1.BarsBySymbol["META"].Select(b => b.OpenTimeMs));
        Assert.Equal([Ms("2022-06-10T00:00:00Z"), Ms("2022-06-13T00:00:00Z")], page2.BarsBySymbol["META"].Select(b => b.OpenTimeMs));
        Assert.Equal("TUVUQXxEfDIwMjItMDYtMDlUMDQ6MDA6MDAuMDAwMDAwMDAwWg==", page1.NextPageToken);
        Assert.Equal("TUVUQXxEfDIwMjItMDYtMTNUMDQ6MDA6MDAuMDAwMDAwMDAwWg==", page2.NextPageToken);
        Assert.Equal("META|D|2022-06-09T04:00:00.000000000Z", Encoding.UTF8.GetString(Convert.FromBase64String(page1.NextPageToken!)));
        var june13 = page2.BarsBySymbol["META"][1];
        Assert.Equal(new Bar(Ms("2022-06-13T00:00:00Z"), 170.59m, 172.575m, 164.03m, 164.26m, 31514255m, Trades: 436284, Vwap: 167.257431m), june13);
        Assert.Equal(184m, page1.BarsBySymbol["META"][1].Close);
    }

    [Fact]
    public void Parse_EmptySample_IsEmpty()
    {
        var page = AlpacaBarParser.Parse(Fixture.Bytes("alpaca-bars-empty.json"), Timeframe.M1);

        Assert.Empty(page.Bars);
        Assert.Empty(page.BarsBySymbol);
        Assert.Equal(0, page.Count);
        Assert.Null(page.NextPageToken);
    }

    [Theory]
    [InlineData("""{"bars":{},"next_page_token":null}""")]
    [InlineData("""{"bars":null,"next_page_token":null}""")]
    [InlineData("""{"bars":[],"symbol":"AAPL","next_page_token":null}""")]
    [InlineData("""{"bars":null,"symbol":"AAPL","next_page_token":null}""")]
    [InlineData("""{"symbol":"AAPL","next_page_token":null}""")]
    [InlineData("""{"bars":{"AAPL":null,"TSLA":[]},"next_page_token":null,"currency":"USD"}""")]
    public void Parse_EveryWayOfSayingNothing_IsEmpty(string json)
    {
        var page = Parse(json);

        Assert.Equal(0, page.Count);
        Assert.Null(page.NextPageToken);
    }

    [Fact]
    public void Parse_Numbers_AreReadFromTheirTextNeverThroughADouble()
    {
        var page = Parse("""{"bars":[{"t":"2024-01-02T14:30:00Z","o":0.1,"h":123456789.123456789,"l":1e-7,"c":2.50,"v":1234.5678,"n":3,"vw":0.30000000000000004}],"symbol":"X","next_page_token":null}""");

        var bar = Assert.Single(page.Bars);
        Assert.Equal(0.1m, bar.Open);
        Assert.Equal(123456789.123456789m, bar.High);
        Assert.Equal(0.0000001m, bar.Low);
        Assert.Equal("2.50", bar.Close.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1234.5678m, bar.Volume);
        Assert.Equal(0.30000000000000004m, bar.Vwap);
    }

    [Fact]
    public void Parse_TradesAndVwapAbsentOrNull_AreNull_AndUnknownFieldsAreSkipped()
    {
        var page = Parse("""{"bars":{"X":[{"t":"2024-01-02T14:30:00Z","x":{"a":[1,2]},"o":1,"h":2,"l":0.5,"c":1.5,"v":10},{"t":"2024-01-02T14:31:00Z","o":1,"h":2,"l":0.5,"c":1.5,"v":10,"n":null,"vw":null}]},"next_page_token":"abc"}""");

        Assert.All(page.BarsBySymbol["X"], b =>
        {
            Assert.Null(b.Trades);
            Assert.Null(b.Vwap);
        });
        Assert.Equal("abc", page.NextPageToken);
    }

    [Theory]
    [InlineData("2024-01-02T05:00:00Z", "2024-01-02T00:00:00Z")] // winter: EST, UTC-5
    [InlineData("2024-07-01T04:00:00Z", "2024-07-01T00:00:00Z")] // summer: EDT, UTC-4
    [InlineData("2024-03-11T04:00:00Z", "2024-03-11T00:00:00Z")] // the Monday after the spring change
    [InlineData("2024-11-04T05:00:00Z", "2024-11-04T00:00:00Z")] // the Monday after the autumn change
    [InlineData("2024-01-02T05:00:00.000000000Z", "2024-01-02T00:00:00Z")] // nanoseconds
    [InlineData("2024-01-02T00:00:00-05:00", "2024-01-02T00:00:00Z")] // an explicit offset
    public void Parse_DailyStampsAtNewYorkMidnight_BecomeUtcMidnightOfThatDate(string stamp, string expected)
    {
        var page = Parse($$"""{"bars":[{"t":"{{stamp}}","o":1,"h":1,"l":1,"c":1,"v":1}],"next_page_token":null}""", Timeframe.D1);

        Assert.Equal(Ms(expected), Assert.Single(page.Bars).OpenTimeMs);
    }

    [Fact]
    public void Parse_DailyBarNotAtNewYorkMidnight_KeepsItsStampForTheValidatorToJudge()
    {
        var page = Parse("""{"bars":[{"t":"2024-01-02T14:30:00Z","o":1,"h":1,"l":1,"c":1,"v":1}],"next_page_token":null}""", Timeframe.D1);

        Assert.Equal(Ms("2024-01-02T14:30:00Z"), Assert.Single(page.Bars).OpenTimeMs);
    }

    [Theory]
    [InlineData("2024-01-02T05:00:00Z", "2024-01-01T00:00:00Z", "1w")] // a week after a Monday holiday, stamped on Tuesday
    [InlineData("2024-01-08T05:00:00Z", "2024-01-08T00:00:00Z", "1w")]
    [InlineData("2024-01-02T05:00:00Z", "2024-01-01T00:00:00Z", "1M")] // January, stamped on its first session
    [InlineData("2024-06-03T04:00:00Z", "2024-06-01T00:00:00Z", "1M")]
    public void Parse_WeeklyAndMonthlyBars_OpenAtTheirPeriodsFirstDay(string stamp, string expected, string timeframe)
    {
        var page = Parse($$"""{"bars":[{"t":"{{stamp}}","o":1,"h":1,"l":1,"c":1,"v":1}],"next_page_token":null}""", Timeframe.Parse(timeframe));

        Assert.Equal(Ms(expected), Assert.Single(page.Bars).OpenTimeMs);
    }

    [Theory]
    [InlineData("""{"bars":[{"t":"2024-01-02T14:30:00Z","o":1,"h":1,"l":1,"c":1,"v":1}""")] // truncated
    [InlineData("""{"bars":[{"t":"2024-01-02T14:30:00Z","o":"1","h":1,"l":1,"c":1,"v":1}],"next_page_token":null}""")] // price as text
    [InlineData("""{"bars":[{"t":"2024-01-02T14:30:00Z","o":1,"h":1,"l":1,"v":1}],"next_page_token":null}""")] // no close
    [InlineData("""{"bars":[{"t":"2024-01-02T14:30:00Z","o":1,"h":1,"l":1,"c":1,"v":1,"n":1.5}],"next_page_token":null}""")] // fractional trades
    [InlineData("""{"bars":"none","next_page_token":null}""")]
    [InlineData("""[]""")]
    [InlineData("""{"bars":[]} trailing""")]
    public void Parse_MalformedAnswers_Throw(string json)
    {
        Assert.ThrowsAny<JsonException>(() => Parse(json));
    }

    [Theory]
    [InlineData("2024-01-02T14:30:00")] // no offset
    [InlineData("2024-01-02 14:30")]
    public void Parse_TimesWithoutAnOffset_Throw(string stamp)
    {
        Assert.Throws<FormatException>(() => Parse($$"""{"bars":[{"t":"{{stamp}}","o":1,"h":1,"l":1,"c":1,"v":1}],"next_page_token":null}"""));
    }

    [Fact]
    public void Parse_ANumberTooLargeForADecimal_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => Parse("""{"bars":[{"t":"2024-01-02T14:30:00Z","o":1e40,"h":1,"l":1,"c":1,"v":1}],"next_page_token":null}"""));
    }
}
