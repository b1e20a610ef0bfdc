using System.Globalization;
using Gapless.Core.Errors;
using Gapless.Core.Import;
using Gapless.Core.Model;
using Gapless.Providers.Csv;
using Gapless.Testing;

namespace Gapless.Providers.Tests.Csv;

public sealed class GenericCsvReaderTests : IDisposable
{
    private static readonly long Jan2At0930 = UtcTime.ToEpochMs(new DateTimeOffset(2024, 1, 2, 9, 30, 0, TimeSpan.Zero));
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Write(string text, string name = "bars.csv")
    {
        var path = _folder.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string S(decimal? value) => value!.Value.ToString(CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2024-01-02T09:30:00Z")]
    [InlineData("2024-01-02T09:30Z")]
    [InlineData("2024-01-02 09:30:00Z")]
    [InlineData("2024-01-02T09:30:00.000Z")]
    [InlineData("2024-01-02T10:30:00+01:00")]
    [InlineData("2024-01-02T04:30:00-05:00")]
    [InlineData("2024-01-02T10:30:00+0100")]
    [InlineData("2024-01-02T11:30:00+02")]
    [InlineData("1704187800")]
    [InlineData("1704187800000")]
    [InlineData("1704187800000000")]
    [InlineData("\"2024-01-02T09:30:00Z\"")]
    public async Task Time_AcceptedForms_AllMeanTheSameInstant(string time)
    {
        var path = Write($"time,open,high,low,close,volume\n{time},1,2,0.5,1.5,10\n");

        var bar = Assert.Single(await CsvFixture.ReadAsync(path, Timeframe.M1));

        Assert.Equal(Jan2At0930, bar.OpenTimeMs);
    }

    [Fact]
    public async Task Time_DateAlone_IsMidnightUtc()
    {
        var path = Write("Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-02,185.64,188.44,183.89,185.64,184.73,82488700\n");

        var bar = Assert.Single(await CsvFixture.ReadAsync(path, Timeframe.D1));

        Assert.Equal(UtcTime.ToEpochMs(new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero)), bar.OpenTimeMs);
        Assert.Equal("185.64", S(bar.Close)); // "Adj Close" is not "close": ignored
        Assert.Equal("82488700", S(bar.Volume));
    }

    [Theory]
    [InlineData("yyyy-MM-dd HH:mm:ss", "2024-01-02 09:30:00")]
    [InlineData("MM/dd/yyyy HH:mm", "01/02/2024 09:30")]
    [InlineData("yyyyMMdd HHmmss", "20240102 093000")]
    [InlineData("yyyy-MM-dd'T'HH:mm:sszzz", "2024-01-02T10:30:00+01:00")]
    public async Task Time_CustomFormat_IsUtcUnlessItCarriesAnOffset(string format, string time)
    {
        var path = Write($"time,open,high,low,close,volume\n{time},1,2,0.5,1.5,10\n");

        var bar = Assert.Single(await CsvFixture.ReadAsync(path, Timeframe.M1, timeFormat: format));

        Assert.Equal(Jan2At0930, bar.OpenTimeMs);
    }

    [Theory]
    [InlineData("2024-01-02T09:30:00", "time '2024-01-02T09:30:00' has no zone; add Z (UTC) or an offset such as +01:00, or give a time format (read as UTC)")]
    [InlineData("2024-01-02 09:30", "time '2024-01-02 09:30' has no zone")]
    [InlineData("2024-01-02T09:30:00.0005Z", "time '2024-01-02T09:30:00.0005Z' has digits past the millisecond")]
    [InlineData("02/01/2024 09:30", "time '02/01/2024 09:30' is not a time; use ISO-8601 with a zone")]
    [InlineData("2024-02-30T09:30:00Z", "time '2024-02-30T09:30:00Z' is not a time")]
    [InlineData("2024-01-02T24:00:00Z", "time '2024-01-02T24:00:00Z' is not a time")]
    [InlineData("2024-01-02T09:30:00+25:00", "time '2024-01-02T09:30:00+25:00' is not a time")]
    [InlineData("", "time '' is not a time")]
    public async Task Time_Refused_FailsWithFileAndLine(string time, string problem)
    {
        var path = Write($"time,open,high,low,close,volume\n2024-01-02T09:29:00Z,1,2,0.5,1.5,10\n{time},1,2,0.5,1.5,10\n");

        var ex = await Assert.ThrowsAsync<ImportDataException>(() => CsvFixture.ReadAsync(path, Timeframe.M1));

        Assert.StartsWith($"{path}:3: {problem}", ex.Message, StringComparison.Ordinal);
        Assert.Equal(path, ex.File);
        Assert.Equal(3, ex.Line);
    }

    [Fact]
    public async Task Time_CustomFormatNotMatched_FailsWithFileAndLine()
    {
        var path = Write("time,open,high,low,close,volume\n2024-01-02 09:30,1,2,0.5,1.5,10\n");

        var ex = await Assert.ThrowsAsync<ImportDataException>(() => CsvFixture.ReadAsync(path, Timeframe.M1, timeFormat: "yyyy-MM-dd HH:mm:ss"));

        Assert.Equal($"{path}:2: time '2024-01-02 09:30' does not match the time format 'yyyy-MM-dd HH:mm:ss'", ex.Message);
    }

    [Fact]
    public async Task Time_EpochUnitChangingWithinAFile_FailsAtTheLine()
    {
        var path = Write("time,open,high,low,close,volume\n1704187800,1,2,0.5,1.5,10\n1704187860000,1,2,0.5,1.5,10\n");

        var ex = await Assert.ThrowsAsync<ImportDataException>(() => CsvFixture.ReadAsync(path, Timeframe.M1));

        Assert.Equal($"{path}:3: time 1704187860000 looks like Unix milliseconds, but the file's first row is in seconds", ex.Message);
    }

    [Fact]
    public async Task Columns_InAnyOrderWithOptionalsAndExtras_AreMappedByName()
    {
        var path = Write(" Volume ,symbol,CLOSE,low,high,open,timestamp,trades,vwap,quote_volume\n10.50,X,1.5,0.5,2.00,1,2024-01-02T09:30:00Z,7,1.25,13.125\n3,X,1.6,1.4,1.7,1.5,2024-01-02T09:31:00Z,,,\n");

        var bars = await CsvFixture.ReadAsync(path, Timeframe.M1);

        Assert.Equal(new Bar(Jan2At0930, 1m, 2.00m, 0.5m, 1.5m, 10.50m, 13.125m, 7, 1.25m), bars[0]);
        Assert.Equal("2.00", S(bars[0].High));
        Assert.Equal("10.50", S(bars[0].Volume));
        Assert.Equal(new Bar(Jan2At0930 + 60_000, 1.5m, 1.7m, 1.4m, 1.6m, 3m), bars[1]);
    }

    [Fact]
    public async Task Values_KeepTheirScaleAndExponentsAreExact()
    {
        var path = Write("time,open,high,low,close,volume\n2024-01-02T09:30:00Z,42000.01000000,42000.02,41999.9,42000.0,1.5E-5\n");

        var bar = Assert.Single(await CsvFixture.ReadAsync(path, Timeframe.M1));

        Assert.Equal("42000.01000000", S(bar.Open));
        Assert.Equal("42000.0", S(bar.Close));
        Assert.Equal(0.000015m, bar.Volume);
    }

    [Fact]
    public async Task GapleesOwnBarsCsv_ImportsAsGeneric()
    {
        // `gapless bars --format csv` writes open_time (epoch ms) ... trades: it reads back as a generic CSV.
        var path = Write("open_time,open,high,low,close,volume,close_time,quote_volume,trades\n1704187800000,1.10,1.20,1.00,1.15,10.5,1704187859999,11.5,3\n");

        var reader = new CsvFileReader(path, path, CsvFormat.Auto, Timeframe.M1, null);
        var bar = Assert.Single(await CsvFixture.ReadAsync(reader));

        Assert.Equal(CsvFormat.Generic, reader.Format);
        Assert.Equal(new Bar(Jan2At0930, 1.10m, 1.20m, 1.00m, 1.15m, 10.5m, 11.5m, 3), bar);
    }

    [Fact]
    public async Task BadValue_FailsWithFileAndLine()
    {
        var path = Write("time,open,high,low,close,volume\n2024-01-02T09:30:00Z,1,2,0.5,1.5,10\n2024-01-02T09:31:00Z,1,2,0.5,1,5,10\n2024-01-02T09:32:00Z,1,2,x,1.5,10\n");

        var ex = await Assert.ThrowsAsync<ImportDataException>(() => CsvFixture.ReadAsync(path, Timeframe.M1));

        // Line 3 has a seventh field, which no column claims: it reads (close 1, volume 5); line 4 does not.
        Assert.Equal($"{path}:4: low 'x' is not a decimal number", ex.Message);
    }

    [Fact]
    public async Task TooFewFields_FailsWithFileAndLine()
    {
        var path = Write("time,open,high,low,close,volume\n2024-01-02T09:30:00Z,1,2,0.5\n");

        var ex = await Assert.ThrowsAsync<ImportDataException>(() => CsvFixture.ReadAsync(path, Timeframe.M1));

        Assert.Equal($"{path}:2: expected at least 6 comma-separated fields, found 4", ex.Message);
    }

    [Fact]
    public async Task HeaderWithoutARequiredColumn_IsAnUnknownFormat()
    {
        var path = Write("time,open,high,low,close\n2024-01-02T09:30:00Z,1,2,0.5,1.5\n");

        var ex = await Assert.ThrowsAsync<InvalidRequestException>(() => CsvFixture.ReadAsync(path, Timeframe.M1));

        Assert.Equal($"{path}:1: cannot tell the file's format: the header has no volume column; a generic CSV needs a header naming time,open,high,low,close,volume", ex.Message);
    }

    [Fact]
    public async Task NoHeader_IsAnUnknownFormat()
    {
        var path = Write("2024-01-02T09:30:00Z,1,2,0.5,1.5,10\n");

        var auto = await Assert.ThrowsAsync<InvalidRequestException>(() => CsvFixture.ReadAsync(path, Timeframe.M1));
        var generic = await Assert.ThrowsAsync<InvalidRequestException>(() => CsvFixture.ReadAsync(path, Timeframe.M1, CsvFormat.Generic));

        Assert.Equal($"{path}:1: cannot tell the file's format: its first line is a row of 6 fields without a header; a generic CSV needs a header naming time,open,high,low,close,volume", auto.Message);
        Assert.Equal($"{path}:1: not a generic CSV: it has no header row; a generic CSV needs a header naming time,open,high,low,close,volume", generic.Message);
    }

    [Fact]
    public async Task TwoTimeColumns_AreRefused()
    {
        var path = Write("date,time,open,high,low,close,volume\n2024-01-02,09:30,1,2,0.5,1.5,10\n");

        var ex = await Assert.ThrowsAsync<InvalidRequestException>(() => CsvFixture.ReadAsync(path, Timeframe.M1));

        Assert.Contains("the header names the time column twice ('date' and 'time'); keep one", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadTimeFormatOption_IsAUsageError()
    {
        var path = Write("time,open,high,low,close,volume\n2024-01-02T09:30:00Z,1,2,0.5,1.5,10\n");

        var ex = await Assert.ThrowsAsync<InvalidRequestException>(
            () => CsvImport.OpenAsync([path], new Series("csv", "X", Timeframe.M1), new CsvImportOptions { TimeFormat = "yyyy-MM-dd %" }));

        Assert.StartsWith("time format 'yyyy-MM-dd %' is not a .NET date and time format", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenericFile_HasNoNamedSpan_EvenWhenNamedLikeABinanceArchive()
    {
        var path = Write("time,open,high,low,close,volume\n2024-01-02T09:30:00Z,1,2,0.5,1.5,10\n", "X-1m-2024-01-02.csv");

        var file = Assert.Single(await CsvImport.OpenAsync([path], new Series("csv", "X", Timeframe.M1)));

        Assert.Equal(CsvFormat.Generic, file.Format);
        Assert.Null(file.Span);
    }

    [Fact]
    public async Task SparseIrregularMinuteBars_AreNotATimeframeMismatch()
    {
        // A thinly traded option: minutes with trades only.
        var minutes = new[] { 0, 3, 4, 9, 17, 18, 30, 45, 46, 52, 60, 75 };
        var rows = minutes.Select(m => UtcTime.ToIso(Jan2At0930 + (m * 60_000L)) + ",1,1,1,1,1");
        var path = Write("time,open,high,low,close,volume\n" + string.Join('\n', rows) + "\n");

        var file = Assert.Single(await CsvImport.OpenAsync([path], new Series("csv", "SPY240119C00470000", Timeframe.M1)));

        Assert.Null(file.Span);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("42000.01000000")]
    [InlineData("0.00000001")]
    [InlineData("1234567890123456789")]
    [InlineData("12345678901234567890")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("-1.50")]
    [InlineData("+2.5")]
    [InlineData("0.0000000000000000000000000001")]
    [InlineData("1.5e-5")]
    public void DecimalText_GivesDecimalParsesValueAndScale(string text)
    {
        var expected = decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

        Assert.True(DecimalText.TryParse(System.Text.Encoding.UTF8.GetBytes(text), allowExponent: true, out var value));

        Assert.Equal(expected, value);
        Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), value.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void DecimalText_RandomPlainNumbers_MatchDecimalParseExactly()
    {
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var intDigits = random.Next(0, 12);
            var fracDigits = random.Next(0, 12);
            var text = (intDigits == 0 ? "0" : RandomDigits(random, intDigits)) + (fracDigits == 0 ? string.Empty : "." + RandomDigits(random, fracDigits));
            var expected = decimal.Parse(text, CultureInfo.InvariantCulture);

            Assert.True(DecimalText.TryParse(System.Text.Encoding.UTF8.GetBytes(text), allowExponent: false, out var value));
            Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), value.ToString(CultureInfo.InvariantCulture));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("1.2.3")]
    [InlineData("1,5")]
    [InlineData("abc")]
    [InlineData("1e5")]
    public void DecimalText_RefusesWhatIsNotANumber(string text)
        => Assert.False(DecimalText.TryParse(System.Text.Encoding.UTF8.GetBytes(text), allowExponent: false, out _));

    private static string RandomDigits(Random random, int count)
        => string.Concat(Enumerable.Range(0, count).Select(_ => (char)('0' + random.Next(10))));
}
