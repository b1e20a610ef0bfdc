using System.Globalization;
using Gapless.Core.Errors;
using Gapless.Core.Import;
using Gapless.Core.Model;
using Gapless.Providers.Csv;
using Gapless.Testing;

namespace Gapless.Providers.Tests.Csv;

public sealed class BinanceArchiveReaderTests : IDisposable
{
    private static readonly Series BtcHourly = new("csv", "BTCUSDT", Timeframe.H1);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string S(decimal? value) => value!.Value.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task SpotSample_NoHeaderMilliseconds_ReadsEveryFieldExactlyWithItsScale()
    {
        var reader = new CsvFileReader(CsvFixture.Path(CsvFixture.Spot), "spot.csv", CsvFormat.Auto, Timeframe.H1, null);

        var bars = await CsvFixture.ReadAsync(reader);

        Assert.Equal(CsvFormat.Binance, reader.Format);
        Assert.False(reader.HasHeader);
        Assert.False(reader.Microseconds);
        Assert.Equal([1698364800000, 1698368400000, 1698372000000], bars.Select(b => b.OpenTimeMs));
        var b0 = bars[0];
        Assert.Equal("34151.66000000", S(b0.Open));
        Assert.Equal("34171.28000000", S(b0.High));
        Assert.Equal("33972.39000000", S(b0.Low));
        Assert.Equal("34015.27000000", S(b0.Close));
        Assert.Equal("908.27901000", S(b0.Volume));
        Assert.Equal("30937869.62302600", S(b0.QuoteVolume));
        Assert.Equal(41459, b0.Trades);
        Assert.Null(b0.CutShortAtMs); // close_time 1698368399999 is the regular close
        Assert.Null(b0.Vwap);
        Assert.Equal("33780.00000000", S(bars[1].Low));
        Assert.Equal(63969, bars[1].Trades);
        Assert.Equal("35873469.77708990", S(bars[2].QuoteVolume));
    }

    [Fact]
    public async Task FuturesSample_WithHeader_SkipsTheHeaderAndKeepsTheVendorsDigits()
    {
        var reader = new CsvFileReader(CsvFixture.Path(CsvFixture.Futures), "futures.csv", CsvFormat.Auto, Timeframe.H1, null);

        var bars = await CsvFixture.ReadAsync(reader);

        Assert.Equal(CsvFormat.Binance, reader.Format);
        Assert.True(reader.HasHeader);
        Assert.Equal(3, bars.Count);
        var b0 = bars[0];
        Assert.Equal(1698364800000, b0.OpenTimeMs);
        Assert.Equal("34161.6", S(b0.Open));
        Assert.Equal("34182.5", S(b0.High));
        Assert.Equal("33977.4", S(b0.Low));
        Assert.Equal("34024.2", S(b0.Close));
        Assert.Equal("409953", S(b0.Volume)); // COIN-M volume is in contracts
        Assert.Equal("1202.97118037", S(b0.QuoteVolume));
        Assert.Equal(15095, b0.Trades);
        Assert.Equal("34150.0", S(bars[2].High));
        Assert.Equal("33848.5", S(bars[2].Open));
    }

    [Fact]
    public async Task SpotMicrosecondSample_IsDetectedAndConvertedToMilliseconds()
    {
        var reader = new CsvFileReader(CsvFixture.Path(CsvFixture.SpotMicroseconds), "doge.csv", CsvFormat.Auto, Timeframe.M1, null);

        var bars = await CsvFixture.ReadAsync(reader);

        Assert.True(reader.Microseconds);
        Assert.False(reader.HasHeader);
        Assert.Equal([1735689600000, 1735689601000, 1735689602000], bars.Select(b => b.OpenTimeMs));
        Assert.Equal("0.31600000", S(bars[0].Open));
        Assert.Equal("27.00000000", S(bars[0].Volume));
        Assert.Equal("8.53200000", S(bars[0].QuoteVolume));
        Assert.Equal(1, bars[0].Trades);
        Assert.Equal("0.31601000", S(bars[1].Close));
        Assert.Equal(5, bars[1].Trades);
        // The 0-trade second is still a row: kept as sent.
        Assert.Equal(0, bars[2].Trades);
        Assert.Equal("0.00000000", S(bars[2].Volume));
    }

    [Fact]
    public async Task SpotMicrosecondSample_IsOneSecondBars_SoItIsRefusedAsAnyGaplessTimeframe()
    {
        var ex = await Assert.ThrowsAsync<InvalidRequestException>(
            () => CsvImport.OpenAsync([CsvFixture.Path(CsvFixture.SpotMicroseconds)], new Series("csv", "DOGEUSDT", Timeframe.M1)));

        Assert.EndsWith("rows are 1s apart, closer than 1m bars can be; Gapless has no 1s timeframe", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SameRows_InMillisecondsAndMicroseconds_GiveEqualBars()
    {
        var ms = _folder.File("ms.csv");
        var us = _folder.File("us.csv");
        File.WriteAllText(ms, "1704067200000,1.10,1.20,1.00,1.15,10.5,1704067259999,11.5,3,1,1,0\n1704067260000,1.15,1.16,1.14,1.15,2,1704067319999,2.3,1,0,0,0\n");
        File.WriteAllText(us, "1704067200000000,1.10,1.20,1.00,1.15,10.5,1704067259999999,11.5,3,1,1,0\n1704067260000000,1.15,1.16,1.14,1.15,2,1704067319999999,2.3,1,0,0,0\n");

        BarAssert.Equal(await CsvFixture.ReadAsync(ms, Timeframe.M1), await CsvFixture.ReadAsync(us, Timeframe.M1));
    }

    [Fact]
    public async Task MixedMillisecondsAndMicroseconds_FailsAtTheLine()
    {
        var path = _folder.File("mixed.csv");
        File.WriteAllText(path, "1704067200000,1,1,1,1,1,1704067259999,1,1,0,0,0\n1704067260000000,1,1,1,1,1,1704067319999999,1,1,0,0,0\n");

        var ex = await Assert.ThrowsAsync<ImportDataException>(() => CsvFixture.ReadAsync(path, Timeframe.M1));

        Assert.Equal($"{path}:2: open_time 1704067260000000 is in microseconds, but the file's first row is in milliseconds", ex.Message);
        Assert.Equal(2, ex.Line);
    }

    [Fact]
    public async Task UnparsableRow_FailsWithFileAndLine()
    {
        var path = _folder.File("bad.csv");
        File.WriteAllText(path, $"{CsvFixture.Text(CsvFixture.Futures).TrimEnd()}\n1698375600000,34094.2,abc,33815.1,34094.2,1,1698379199999,1,1,1,1,0\n");

        var ex = await Assert.ThrowsAsync<ImportDataException>(() => CsvFixture.ReadAsync(path, Timeframe.H1));

        Assert.Equal($"{path}:5: high 'abc' is not a decimal number", ex.Message);
    }

    [Fact]
    public async Task ShortRow_FailsWithFileAndLine()
    {
        var path = _folder.File("short.csv");
        File.WriteAllText(path, "1698364800000,1,1,1,1,1,1698368399999,1,1,0,0,0\n1698368400000,1,1,1\n");

        var ex = await Assert.ThrowsAsync<ImportDataException>(() => CsvFixture.ReadAsync(path, Timeframe.H1));

        Assert.StartsWith($"{path}:2: expected 12 comma-separated fields (open_time,open,", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RowsGoingBackInTime_FailAtTheLine()
    {
        var lines = CsvFixture.Text(CsvFixture.Spot).Split('\n');
        var path = _folder.File("backwards.csv");
        File.WriteAllLines(path, [lines[0], lines[2], lines[1]]);

        var ex = await Assert.ThrowsAsync<ImportDataException>(() => CsvFixture.ReadAsync(path, Timeframe.H1));

        Assert.Equal($"{path}:3: time 2023-10-27T01:00:00Z is before the previous row's (2023-10-27T02:00:00Z); rows must ascend in time", ex.Message);
    }

    [Fact]
    public async Task KlineCutShortByAHalt_KeepsItsOpenAndRecordsTheVendorsClose()
    {
        var path = _folder.File("halt.csv");
        File.WriteAllText(path, "1582112100000,10150.00,10150.01,10148.93,10148.93,1.5,1582112132286,15225.0,12,0,0,0\n");

        var bar = Assert.Single(await CsvFixture.ReadAsync(path, Timeframe.M5));

        Assert.Equal(1582112100000, bar.OpenTimeMs);
        Assert.Equal(1582112132286, bar.CutShortAtMs);
    }

    [Fact]
    public async Task CrLfLinesByteOrderMarkAndBlankLines_AreRead()
    {
        var path = _folder.File("crlf.csv");
        var text = "\uFEFF" + CsvFixture.Text(CsvFixture.Futures).ReplaceLineEndings("\r\n") + "\r\n\r\n";
        File.WriteAllText(path, text);

        var bars = await CsvFixture.ReadAsync(path, Timeframe.H1);

        BarAssert.Equal(await CsvFixture.ReadAsync(CsvFixture.Path(CsvFixture.Futures), Timeframe.H1), bars);
    }

    [Fact]
    public async Task LongFile_IsStreamedAcrossBlocksWithoutLosingARow()
    {
        // ~9 MB: many 64 KiB blocks, lines cut at block edges.
        var path = _folder.File("BTCUSDT-1m-2024-01.csv");
        var start = UtcTime.ToEpochMs(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using (var w = new StreamWriter(path))
        {
            for (var i = 0; i < 44_640; i++)
            {
                var t = start + (i * 60_000L);
                await w.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{t},42000.{i % 100:00}000000,42010.00000000,41990.00000000,42001.00000000,{i}.12345000,{t + 59_999},{i * 7}.00000001,{i},0.5,0.6,0"));
            }
        }

        var file = Assert.Single(await CsvImport.OpenAsync([path], new Series("csv", "BTCUSDT", Timeframe.M1)));
        var bars = new List<Bar>();
        await foreach (var bar in file.Source.Bars)
        {
            bars.Add(bar);
        }

        Assert.Equal(44_640, bars.Count);
        Assert.Equal(TimeRange.Of(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero)), file.Span);
        Assert.Equal(start + (44_639 * 60_000L), bars[^1].OpenTimeMs);
        Assert.Equal("44639.12345000", S(bars[^1].Volume));
        Assert.Equal("42000.39000000", S(bars[44_639].Open));
        Assert.True(bars.Zip(bars.Skip(1)).All(p => p.Second.OpenTimeMs - p.First.OpenTimeMs == 60_000));
    }

    [Fact]
    public async Task ZipArchive_ReadsTheSameBarsAsThePlainCsvAndItsNameGivesTheWholeDay()
    {
        var zip = _folder.File("BTCUSDT-1h-2023-10-27.zip");
        CsvFixture.Zip(zip, "BTCUSDT-1h-2023-10-27.csv", CsvFixture.Text(CsvFixture.Spot));

        var file = Assert.Single(await CsvImport.OpenAsync([zip], BtcHourly));
        var bars = new List<Bar>();
        await foreach (var bar in file.Source.Bars)
        {
            bars.Add(bar);
        }

        BarAssert.Equal(await CsvFixture.ReadAsync(CsvFixture.Path(CsvFixture.Spot), Timeframe.H1), bars);
        Assert.Equal(CsvFormat.Binance, file.Format);
        Assert.False(file.ChecksumVerified);
        var day = TimeRange.Of(new DateTimeOffset(2023, 10, 27, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2023, 10, 28, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(day, file.Span);
        Assert.Equal(day, file.Source.Span);
    }

    [Fact]
    public async Task ZipWithoutOneCsv_IsRefused()
    {
        var zip = _folder.File("BTCUSDT-1h-2023-10-27.zip");
        CsvFixture.Zip(zip, "readme.txt", "no bars here");

        var ex = await Assert.ThrowsAsync<InvalidRequestException>(() => CsvImport.OpenAsync([zip], BtcHourly));

        Assert.Equal($"{zip}: expected one .csv file inside the zip, found 0", ex.Message);
    }

    [Fact]
    public async Task BrokenZip_FailsAsUnreadable()
    {
        var zip = _folder.File("BTCUSDT-1h-2023-10-27.zip");
        File.WriteAllText(zip, "PK not really a zip");

        var ex = await Assert.ThrowsAsync<ImportDataException>(() => CsvImport.OpenAsync([zip], BtcHourly));

        Assert.StartsWith($"{zip}: is not a readable zip archive", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checksum_Matching_IsVerified()
    {
        var zip = _folder.File("BTCUSDT-1h-2023-10-27.zip");
        CsvFixture.Zip(zip, "BTCUSDT-1h-2023-10-27.csv", CsvFixture.Text(CsvFixture.Spot));
        CsvFixture.WriteChecksum(zip);

        var file = Assert.Single(await CsvImport.OpenAsync([zip], BtcHourly));

        Assert.True(file.ChecksumVerified);
    }

    [Fact]
    public async Task Checksum_Mismatch_FailsClearlyBeforeReading()
    {
        var zip = _folder.File("BTCUSDT-1h-2023-10-27.zip");
        CsvFixture.Zip(zip, "BTCUSDT-1h-2023-10-27.csv", CsvFixture.Text(CsvFixture.Spot));
        CsvFixture.WriteChecksum(zip, new string('0', 64));

        var ex = await Assert.ThrowsAsync<ImportDataException>(() => CsvImport.OpenAsync([zip], BtcHourly));

        Assert.StartsWith($"{zip}: checksum mismatch: its SHA-256 is ", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith($"but BTCUSDT-1h-2023-10-27.zip.CHECKSUM says {new string('0', 64)}; the file is damaged or incomplete, download it again", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChecksumSample_ParsesAsHexTwoSpacesAndName()
    {
        Assert.True(ArchiveChecksum.TryParse(CsvFixture.Text(CsvFixture.ChecksumLine), out var hex, out var name));

        Assert.Equal("109df4fd75c918bc1b1dc653c24dc3b76854b08e994d15b53e625509993f4323", hex);
        Assert.Equal("BNBBTC-aggTrades-2018-01.zip", name);
    }

    [Fact]
    public async Task ChecksumSample_BesideAFileOfThatNameWithOtherContent_IsAMismatch()
    {
        var path = _folder.File("BNBBTC-aggTrades-2018-01.zip");
        File.WriteAllText(path, "not the archive Binance published");
        File.Copy(CsvFixture.Path(CsvFixture.ChecksumLine), path + ".CHECKSUM");

        var ex = await Assert.ThrowsAsync<ImportDataException>(() => ArchiveChecksum.VerifyAsync(path, "BNBBTC-aggTrades-2018-01.zip", CancellationToken.None));

        Assert.Contains("checksum mismatch", ex.Message, StringComparison.Ordinal);
        Assert.Contains("says 109df4fd75c918bc1b1dc653c24dc3b76854b08e994d15b53e625509993f4323", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checksum_NamingAnotherFile_IsRefused()
    {
        var path = _folder.File("BTCUSDT-1h-2023-10-27.csv");
        File.Copy(CsvFixture.Path(CsvFixture.Spot), path);
        File.Copy(CsvFixture.Path(CsvFixture.ChecksumLine), path + ".CHECKSUM");

        var ex = await Assert.ThrowsAsync<ImportDataException>(() => CsvImport.OpenAsync([path], BtcHourly));

        Assert.Equal($"{path}.CHECKSUM:1: is the checksum of BNBBTC-aggTrades-2018-01.zip, not of BTCUSDT-1h-2023-10-27.csv", ex.Message);
    }

    [Theory]
    [InlineData("BTCUSDT-1m-2024-01-01.zip", "BTCUSDT", "1m", "1m", "2024-01-01", "2024-01-02")]
    [InlineData("BTCUSDT-1m-2024-02.csv", "BTCUSDT", "1m", "1m", "2024-02-01", "2024-03-01")]
    [InlineData("BTCUSD_PERP-1h-2023-10-27.csv", "BTCUSD_PERP", "1h", "1h", "2023-10-27", "2023-10-28")]
    [InlineData("ETHUSDT-1mo-2023-12.zip", "ETHUSDT", "1mo", "1M", "2023-12-01", "2024-01-01")]
    [InlineData("DOGEUSDT-1s-2025-01-01.zip", "DOGEUSDT", "1s", null, "2025-01-01", "2025-01-02")]
    public void ArchiveName_SaysSymbolIntervalAndSpan(string file, string symbol, string interval, string? timeframe, string from, string to)
    {
        var name = BinanceArchiveName.TryParse(file);

        Assert.NotNull(name);
        Assert.Equal(symbol, name.Symbol);
        Assert.Equal(interval, name.Interval);
        Assert.Equal(timeframe, name.Timeframe?.Code);
        Assert.Equal(TimeRange.Of(DateTimeOffset.Parse(from + "T00:00Z", CultureInfo.InvariantCulture), DateTimeOffset.Parse(to + "T00:00Z", CultureInfo.InvariantCulture)), name.Span);
    }

    [Theory]
    [InlineData("binance-archive-sample.csv")]
    [InlineData("BTCUSDT-1m-2024-13-01.zip")]
    [InlineData("BTCUSDT-1m-2024-02-30.csv")]
    [InlineData("BTCUSDT-1m-2024-01-01.csv.CHECKSUM")]
    [InlineData("BNBBTC-aggTrades-2018-01.zip")]
    public void ArchiveName_OtherNames_SayNothing(string file) => Assert.Null(BinanceArchiveName.TryParse(file));

    [Fact]
    public async Task ArchiveName_OfAnotherInterval_IsATimeframeMismatch()
    {
        var path = _folder.File("BTCUSDT-1m-2023-10-27.csv");
        File.Copy(CsvFixture.Path(CsvFixture.Spot), path);

        var ex = await Assert.ThrowsAsync<InvalidRequestException>(() => CsvImport.OpenAsync([path], BtcHourly));

        Assert.Equal($"{path} holds 1m bars (its name says so), not 1h; import it with timeframe 1m", ex.Message);
    }

    [Fact]
    public async Task ArchiveName_OfAnotherSymbol_IsRefused()
    {
        var path = _folder.File("ETHUSDT-1h-2023-10-27.csv");
        File.Copy(CsvFixture.Path(CsvFixture.Spot), path);

        var ex = await Assert.ThrowsAsync<InvalidRequestException>(() => CsvImport.OpenAsync([path], BtcHourly));

        Assert.Equal($"{path} holds ETHUSDT (its name says so), not BTCUSDT", ex.Message);
    }

    [Fact]
    public async Task HourlyRows_ImportedAsMinuteBars_AreATimeframeMismatch()
    {
        var path = _folder.File("hourly.csv");
        var start = 1698364800000L;
        File.WriteAllLines(path, Enumerable.Range(0, 24).Select(i => string.Create(CultureInfo.InvariantCulture, $"{start + (i * 3_600_000L)},1,1,1,1,1,{start + ((i + 1) * 3_600_000L) - 1},1,1,0,0,0")));

        var ex = await Assert.ThrowsAsync<InvalidRequestException>(() => CsvImport.OpenAsync([path], new Series("csv", "BTCUSDT", Timeframe.M1)));

        Assert.Equal($"{path}: rows are 1h apart, so they are not 1m bars; import it with timeframe 1h", ex.Message);
    }

    [Fact]
    public async Task ExplicitBinanceFormat_OnAGenericFile_IsRefused()
    {
        var path = _folder.File("generic.csv");
        File.WriteAllText(path, "time,open,high,low,close,volume\n2024-01-01T00:00:00Z,1,1,1,1,1\n");

        var ex = await Assert.ThrowsAsync<InvalidRequestException>(
            () => CsvImport.OpenAsync([path], BtcHourly, new CsvImportOptions { Format = CsvFormat.Binance }));

        Assert.StartsWith($"{path}:1: not a binance CSV: its first line is not a Binance kline archive header", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Directory_TakesCsvAndZipFilesInNameOrder()
    {
        var dir = Directory.CreateDirectory(_folder.File("archives")).FullName;
        CsvFixture.Zip(Path.Combine(dir, "BTCUSDT-1h-2023-10-28.zip"), "BTCUSDT-1h-2023-10-28.csv", "1698451200000,1,1,1,1,1,1698454799999,1,1,0,0,0\n");
        File.Copy(CsvFixture.Path(CsvFixture.Spot), Path.Combine(dir, "BTCUSDT-1h-2023-10-27.csv"));
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "ignored");
        CsvFixture.WriteChecksum(Path.Combine(dir, "BTCUSDT-1h-2023-10-28.zip"));

        var files = await CsvImport.OpenAsync([dir], BtcHourly);

        Assert.Equal([Path.Join(dir, "BTCUSDT-1h-2023-10-27.csv"), Path.Join(dir, "BTCUSDT-1h-2023-10-28.zip")], files.Select(f => f.Name));
        Assert.Equal([false, true], files.Select(f => f.ChecksumVerified));
    }

    [Fact]
    public async Task MissingPathOrEmptyDirectory_IsAUsageError()
    {
        var missing = _folder.File("nope.csv");
        var empty = Directory.CreateDirectory(_folder.File("empty")).FullName;

        var a = await Assert.ThrowsAsync<InvalidRequestException>(() => CsvImport.OpenAsync([missing], BtcHourly));
        var b = await Assert.ThrowsAsync<InvalidRequestException>(() => CsvImport.OpenAsync([empty], BtcHourly));

        Assert.Equal($"{missing}: no such file or directory", a.Message);
        Assert.Equal($"{empty}: no .csv or .zip files in this directory", b.Message);
    }
}
