using System.Globalization;
using System.Text;
using System.Text.Json;
using Gapless.Core.Model;
using Gapless.Providers.Binance;

namespace Gapless.Providers.Tests.Binance;

public class BinanceKlineParserTests
{
    private static readonly byte[] MaintenanceSample = Fixture.Bytes("binance-klines-BTCUSDT-5m-maintenance-gap-2020-02-19.json");

    [Fact]
    public void Parse_RealSample_ReadsEveryFieldExactly()
    {
        var bars = BinanceKlineParser.Parse(MaintenanceSample, Timeframe.M5);

        Assert.Equal(9, bars.Count);
        var first = bars[0];
        Assert.Equal(1582111800000, first.OpenTimeMs);
        Assert.Equal(10133.12m, first.Open);
        Assert.Equal(10150.00m, first.High);
        Assert.Equal(10133.10m, first.Low);
        Assert.Equal(10150.00m, first.Close);
        Assert.Equal(39.342035m, first.Volume);
        Assert.Equal(399065.78619103m, first.QuoteVolume);
        Assert.Equal(469, first.Trades);
        Assert.Null(first.CutShortAtMs);
        Assert.Null(first.Vwap);
    }

    [Fact]
    public void Parse_RealSample_KeepsTheVendorsScale()
    {
        var first = BinanceKlineParser.Parse(MaintenanceSample, Timeframe.M5)[0];

        Assert.Equal("10133.12000000", first.Open.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("39.34203500", first.Volume.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Parse_KlineCutShortByTheHalt_KeepsOpenTimeAndRecordsVendorsCloseTime()
    {
        var bars = BinanceKlineParser.Parse(MaintenanceSample, Timeframe.M5);

        var cut = bars[1];
        Assert.Equal(1582112100000, cut.OpenTimeMs); // 2020-02-19T11:35:00Z, unchanged
        Assert.Equal(1582112132286, cut.CutShortAtMs); // 11:35:32.286, the vendor's close time
        Assert.Equal(10148.93m, cut.Close);
        Assert.Equal(1582133400000, bars[2].OpenTimeMs); // trading resumed at 17:30
        Assert.All(bars.Where((_, i) => i != 1), b => Assert.Null(b.CutShortAtMs));
    }

    [Fact]
    public void Parse_OffGridOpenTime_KeepsItUnchanged()
    {
        // After the 2018-02-08 outage some klines opened off the grid; snapping them would invent a bar.
        var json = """[[1518106263000,"8000.00000000","8100.00000000","7900.00000000","8050.00000000","1.00000000",1518106319999,"8050.00000000",10,"0.50000000","4025.00000000","0"]]""";

        var bar = Assert.Single(BinanceKlineParser.Parse(Encoding.UTF8.GetBytes(json), Timeframe.M1));

        Assert.Equal(1518106263000, bar.OpenTimeMs);
        Assert.False(Timeframe.M1.IsAligned(bar.OpenTimeMs));
        Assert.Null(bar.CutShortAtMs); // it ends with its grid slot: misaligned, not cut short
    }

    [Fact]
    public void Parse_RegularMonthKline_IsNotCutShort()
    {
        // 1M closes at the next month's start − 1 ms, whatever the month's length.
        var feb = UtcTime.ToEpochMs(new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero));
        var mar = UtcTime.ToEpochMs(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var json = $"""[[{feb},"1.00000000","2.00000000","0.50000000","1.50000000","1.00000000",{mar - 1},"1.00000000",1,"0","0","0"]]""";

        var bar = Assert.Single(BinanceKlineParser.Parse(Encoding.UTF8.GetBytes(json), Timeframe.Month1));

        Assert.Null(bar.CutShortAtMs);
    }

    [Fact]
    public void Parse_HighBelowLow_IsPassedOnForTheValidator()
    {
        var json = """[[1704067200000,"10.00000000","9.00000000","11.00000000","10.00000000","1.00000000",1704067259999,"10.00000000",1,"0","0","0"]]""";

        var bar = Assert.Single(BinanceKlineParser.Parse(Encoding.UTF8.GetBytes(json), Timeframe.M1));

        Assert.True(bar.High < bar.Low);
    }

    [Fact]
    public void Parse_EmptyAnswer_IsNoBars()
        => Assert.Empty(BinanceKlineParser.Parse("[]"u8, Timeframe.M1));

    [Theory]
    [InlineData("[[1704067200000,\"10.0\",\"11.0\"")] // truncated
    [InlineData("[[1704067200000,10.0,\"11.0\",\"9.0\",\"10.0\",\"1.0\",1704067259999,\"10.0\",1,\"0\",\"0\",\"0\"]]")] // number for a price
    [InlineData("[[1704067200000,\"10.0\",\"11.0\",\"9.0\"]]")] // short row
    [InlineData("{\"code\":-1121}")]
    [InlineData("[]]")]
    public void Parse_MalformedBody_Throws(string json)
        => Assert.ThrowsAny<JsonException>(() => BinanceKlineParser.Parse(Encoding.UTF8.GetBytes(json), Timeframe.M1));

    [Fact]
    public void Parse_PriceThatIsNotANumber_Throws()
    {
        var json = """[[1704067200000,"1e5","11.0","9.0","10.0","1.0",1704067259999,"10.0",1,"0","0","0"]]""";

        var e = Assert.Throws<FormatException>(() => BinanceKlineParser.Parse(Encoding.UTF8.GetBytes(json), Timeframe.M1));
        Assert.Contains("open '1e5'", e.Message, StringComparison.Ordinal);
    }
}
