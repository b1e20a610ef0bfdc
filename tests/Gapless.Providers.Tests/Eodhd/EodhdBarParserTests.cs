using System.Globalization;
using System.Text;
using System.Text.Json;
using Gapless.Core.Model;
using Gapless.Providers.Eodhd;

namespace Gapless.Providers.Tests.Eodhd;

public class EodhdBarParserTests
{
    private static readonly byte[] Sample = Fixture.Bytes("eodhd-intraday.json");

    private static EodhdAnswer Parse(string json) => EodhdBarParser.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Parse_RealSample_ReadsEveryFieldExactly()
    {
        var answer = EodhdBarParser.Parse(Sample);

        Assert.Equal(2, answer.Rows);
        Assert.Equal(0, answer.Skipped);
        Assert.Equal(
            [
                new Bar(1627911000000, 146.36m, 146.949996m, 146.089996m, 146.419998m, 3930530m),
                new Bar(1627911300000, 146.449798m, 146.449798m, 145.539993m, 145.580001m, 2639916m),
            ],
            answer.Bars);
        Assert.Equal(new DateTimeOffset(2021, 8, 2, 13, 30, 0, TimeSpan.Zero), answer.Bars[0].OpenTime);
    }

    [Fact]
    public void Parse_RealSample_KeepsTheVendorsDigits()
    {
        var bar = EodhdBarParser.Parse(Sample).Bars[0];

        Assert.Equal("146.36", bar.Open.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("146.949996", bar.High.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("3930530", bar.Volume.ToString(CultureInfo.InvariantCulture));
        Assert.Null(bar.QuoteVolume);
        Assert.Null(bar.Trades);
        Assert.Null(bar.Vwap);
    }

    [Fact]
    public void Parse_RealSample_TimestampIsTheBarOpenThatDatetimeWritesInUtc()
    {
        // The parser reads `timestamp`; the sample's `datetime` is the same instant as UTC text, and gmtoffset 0.
        using var doc = JsonDocument.Parse(Sample);
        var bars = EodhdBarParser.Parse(Sample).Bars;

        for (var i = 0; i < bars.Count; i++)
        {
            var row = doc.RootElement[i];
            Assert.Equal(row.GetProperty("datetime").GetString(), bars[i].OpenTime.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            Assert.Equal(0, row.GetProperty("gmtoffset").GetInt32());
            Assert.True(Timeframe.M5.IsAligned(bars[i].OpenTimeMs));
        }
    }

    [Fact]
    public void Parse_NumbersAreReadFromTheirDigits_NeverThroughADouble()
    {
        // 0.1 + 0.2 style values, more digits than a double holds, trailing zeros and an exponent.
        var bar = Assert.Single(Parse("""
            [{"timestamp":1704200400,"open":12345678901.234567,"high":12345678901.2345678,"low":0.1000,"close":1.5E+2,"volume":12}]
            """).Bars);

        Assert.Equal(12345678901.234567m, bar.Open);
        Assert.Equal("12345678901.2345678", bar.High.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("0.1000", bar.Low.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(150m, bar.Close);
    }

    [Fact]
    public void Parse_NullVolume_IsLeftOutAsNoTrade()
    {
        var answer = Parse("""
            [{"timestamp":1704200400,"gmtoffset":0,"datetime":"2024-01-02 13:00:00","open":10.5,"high":10.5,"low":10.5,"close":10.5,"volume":null},
             {"timestamp":1704200460,"gmtoffset":0,"datetime":"2024-01-02 13:01:00","open":10.5,"high":10.6,"low":10.4,"close":10.6,"volume":300}]
            """);

        var bar = Assert.Single(answer.Bars);
        Assert.Equal(1704200460000, bar.OpenTimeMs);
        Assert.Equal(2, answer.Rows);
        Assert.Equal(1, answer.Skipped);
    }

    [Fact]
    public void Parse_MissingVolumeOrNullPrice_IsLeftOutAsNoTrade()
    {
        var answer = Parse("""
            [{"timestamp":1704200400,"open":10.5,"high":10.5,"low":10.5,"close":10.5},
             {"timestamp":1704200460,"open":null,"high":null,"low":null,"close":null,"volume":0}]
            """);

        Assert.Empty(answer.Bars);
        Assert.Equal(2, answer.Skipped);
    }

    [Fact]
    public void Parse_ZeroVolume_IsABar()
    {
        var bar = Assert.Single(Parse("""[{"timestamp":1704200400,"open":1,"high":1,"low":1,"close":1,"volume":0}]""").Bars);

        Assert.Equal(0m, bar.Volume);
    }

    [Fact]
    public void Parse_FieldsInAnyOrder_UnknownFieldsSkipped()
    {
        var bar = Assert.Single(Parse("""
            [{"volume":7,"close":2,"extra":{"a":[1,2]},"low":1,"high":3,"open":2.5,"timestamp":1704200400,"datetime":"2024-01-02 13:00:00"}]
            """).Bars);

        Assert.Equal(new Bar(1704200400000, 2.5m, 3m, 1m, 2m, 7m), bar);
    }

    [Fact]
    public void Parse_HighBelowLow_IsPassedOnForTheValidator()
    {
        var bar = Assert.Single(Parse("""[{"timestamp":1704200400,"open":10,"high":9,"low":11,"close":10,"volume":1}]""").Bars);

        Assert.True(bar.High < bar.Low);
    }

    [Fact]
    public void Parse_EmptyAnswer_IsNoBars()
    {
        var answer = EodhdBarParser.Parse("[]"u8);

        Assert.Empty(answer.Bars);
        Assert.Equal(0, answer.Rows);
    }

    [Theory]
    [InlineData("[{\"timestamp\":1704200400,\"open\":10.5,\"high\"")] // truncated
    [InlineData("[{\"timestamp\":1704200400,\"open\":\"10.5\",\"high\":1,\"low\":1,\"close\":1,\"volume\":1}]")] // text for a price
    [InlineData("[{\"open\":1,\"high\":1,\"low\":1,\"close\":1,\"volume\":1}]")] // no timestamp
    [InlineData("[{\"timestamp\":1704200400,\"open\":1,\"high\":1,\"low\":1,\"volume\":1}]")] // no close
    [InlineData("[{\"timestamp\":1704200400.5,\"open\":1,\"high\":1,\"low\":1,\"close\":1,\"volume\":1}]")] // fractional timestamp
    [InlineData("{\"errors\":{\"to\":[\"Max period length is 120 days\"]}}")] // an error object
    [InlineData("[1704200400]")]
    [InlineData("[]]")]
    [InlineData("[{\"timestamp\":1704200400,\"open\":1e40,\"high\":1,\"low\":1,\"close\":1,\"volume\":1}]")] // beyond a decimal
    public void Parse_MalformedBody_Throws(string json)
        => Assert.ThrowsAny<JsonException>(() => Parse(json));
}
