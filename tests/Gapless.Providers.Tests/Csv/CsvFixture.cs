using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Gapless.Core.Model;
using Gapless.Providers.Csv;

namespace Gapless.Providers.Tests.Csv;

/// <summary>
/// The Binance archive samples in Csv/Fixtures (copied unchanged from /work/shared/vendor-samples), found beside this
/// source file, and helpers that write bar files into a temp folder.
/// </summary>
internal static class CsvFixture
{
    public const string Spot = "binance-archive-sample.csv";
    public const string Futures = "binance-archive-futures-cm-BTCUSD_PERP-1h-2023-10-27-sample.csv";
    public const string SpotMicroseconds = "binance-archive-spot-DOGEUSDT-1s-2025-01-01-microseconds-sample.csv";
    public const string ChecksumLine = "binance-archive-checksum-line-example.CHECKSUM";

    public static string Path(string name) => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Here())!, "Fixtures", name);

    public static string Text(string name) => File.ReadAllText(Path(name));

    public static async Task<List<Bar>> ReadAsync(string path, Timeframe timeframe, CsvFormat format = CsvFormat.Auto, string? timeFormat = null)
        => await ReadAsync(new CsvFileReader(path, path, format, timeframe, timeFormat));

    public static async Task<List<Bar>> ReadAsync(CsvFileReader reader)
    {
        var bars = new List<Bar>();
        await foreach (var bar in reader.ReadAsync())
        {
            bars.Add(bar);
        }

        return bars;
    }

    /// <summary>Writes a zip holding one entry, as data.binance.vision serves archives.</summary>
    public static void Zip(string zipPath, string entryName, string content)
    {
        using var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create);
        using var writer = new StreamWriter(zip.CreateEntry(entryName).Open());
        writer.Write(content);
    }

    /// <summary>Writes <c>PATH.CHECKSUM</c> as Binance does: hex SHA-256, two spaces, the file's name.</summary>
    public static void WriteChecksum(string path, string? hex = null)
        => File.WriteAllText(path + ".CHECKSUM", $"{hex ?? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))}  {System.IO.Path.GetFileName(path)}\n");

    private static string Here([CallerFilePath] string path = "") => path;
}
