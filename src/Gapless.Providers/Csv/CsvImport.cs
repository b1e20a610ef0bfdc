using System.Globalization;
using Gapless.Core.Errors;
using Gapless.Core.Import;
using Gapless.Core.Model;

namespace Gapless.Providers.Csv;

/// <summary>One file ready to import: what it is, and its bars as an <see cref="ImportSource"/> for <see cref="BarImporter"/>.</summary>
/// <param name="Name">The file as the user named it.</param>
/// <param name="Format">Its format (<see cref="CsvFormat.Auto"/> only for an empty file).</param>
/// <param name="Span">The span its name says it holds (a Binance daily or monthly archive); null otherwise.</param>
/// <param name="ChecksumVerified">True when a <c>.CHECKSUM</c> file beside it was found and matched.</param>
/// <param name="Source">Its bars (read again from the file when enumerated) and span, for the importer.</param>
public sealed record CsvImportFile(string Name, CsvFormat Format, TimeRange? Span, bool ChecksumVerified, ImportSource Source);

/// <summary>
/// Finds and checks bar files before anything is imported, so a wrong path, format or timeframe fails before the
/// store is touched. Each path is a file (<c>.csv</c>, or <c>.zip</c> holding one <c>.csv</c>) or a directory, whose
/// <c>.csv</c> and <c>.zip</c> files are taken in name order (not its subdirectories). For each file:
/// <list type="number">
/// <item>A <c>.CHECKSUM</c> file beside it (<c>NAME.zip.CHECKSUM</c>, as data.binance.vision publishes) is verified.</item>
/// <item>Its first rows (<see cref="CsvImportOptions.SampleRows"/>) are read: the format is decided
/// (<see cref="CsvFormat"/>), rows are parsed, and their spacing is checked against the timeframe.</item>
/// <item>A Binance archive named as data.binance.vision names them (<c>BTCUSDT-1m-2024-01-01.zip</c>, or
/// <c>BTCUSDT-1m-2024-01.zip</c> for a month) must hold the series' symbol and timeframe, and proves that whole UTC
/// day or month; any other file proves the span from its first bar's open to its last bar's close.</item>
/// </list>
/// The files are read again, streaming, when the importer enumerates their bars.
/// </summary>
public static class CsvImport
{
    /// <exception cref="InvalidRequestException">
    /// A path does not exist or holds no bar file; a file is not in the format asked for or its format cannot be told;
    /// its name or spacing says another timeframe or symbol; the time format is not a .NET format.
    /// </exception>
    /// <exception cref="ImportDataException">A checksum does not match, or one of the first rows does not parse.</exception>
    public static async Task<IReadOnlyList<CsvImportFile>> OpenAsync(
        IReadOnlyList<string> paths,
        Series series,
        CsvImportOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(series);
        options ??= new CsvImportOptions();
        if (options.SampleRows < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.SampleRows, "SampleRows must be at least 2");
        }

        var timeFormat = string.IsNullOrWhiteSpace(options.TimeFormat) ? null : options.TimeFormat;
        if (timeFormat is not null)
        {
            CheckTimeFormat(timeFormat);
        }

        var files = new List<CsvImportFile>();
        foreach (var (path, name) in Resolve(paths))
        {
            files.Add(await OpenFileAsync(path, name, series, options with { TimeFormat = timeFormat }, cancellationToken).ConfigureAwait(false));
        }

        return files;
    }

    private static async Task<CsvImportFile> OpenFileAsync(string path, string name, Series series, CsvImportOptions options, CancellationToken cancellationToken)
    {
        var verified = await ArchiveChecksum.VerifyAsync(path, name, cancellationToken).ConfigureAwait(false);
        var reader = new CsvFileReader(path, name, options.Format, series.Timeframe, options.TimeFormat);
        var sample = new List<long>(Math.Min(options.SampleRows, 4096));
        await foreach (var bar in reader.ReadAsync(options.SampleRows, cancellationToken).ConfigureAwait(false))
        {
            sample.Add(bar.OpenTimeMs);
        }

        TimeRange? span = null;
        if (reader.Format is CsvFormat.Binance or CsvFormat.Auto && BinanceArchiveName.TryParse(Path.GetFileName(path)) is { } archive)
        {
            if (archive.Timeframe != series.Timeframe)
            {
                var advice = archive.Timeframe is { } tf ? $"import it with timeframe {tf.Code}" : $"Gapless has no {archive.Interval} timeframe";
                throw new InvalidRequestException($"{name} holds {archive.Interval} bars (its name says so), not {series.Timeframe.Code}; {advice}");
            }

            if (!string.Equals(archive.Symbol, series.Symbol, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidRequestException($"{name} holds {archive.Symbol} (its name says so), not {series.Symbol}");
            }

            span = archive.Span;
        }

        if (SpacingCheck.Problem(sample, series.Timeframe) is { } problem)
        {
            throw new InvalidRequestException($"{name}: {problem}");
        }

        // The importer passes its own token when it enumerates the bars (WithCancellation).
        return new CsvImportFile(name, reader.Format, span, verified, new ImportSource(name, span, reader.ReadAsync(cancellationToken: CancellationToken.None)));
    }

    private static List<(string Path, string Name)> Resolve(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0)
        {
            throw new InvalidRequestException("no file or directory to import");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var files = new List<(string, string)>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var inside = Directory.EnumerateFiles(path)
                    .Where(IsBarFile)
                    .Select(f => Path.GetFileName(f))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (inside.Count == 0)
                {
                    throw new InvalidRequestException($"{path}: no .csv or .zip files in this directory");
                }

                foreach (var file in inside)
                {
                    Add(Path.Join(path, file));
                }
            }
            else if (File.Exists(path))
            {
                Add(path);
            }
            else
            {
                throw new InvalidRequestException($"{path}: no such file or directory");
            }
        }

        return files;

        void Add(string name)
        {
            var full = Path.GetFullPath(name);
            if (seen.Add(full))
            {
                files.Add((full, name));
            }
        }
    }

    private static bool IsBarFile(string path)
        => path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);

    private static void CheckTimeFormat(string format)
    {
        try
        {
            _ = DateTimeOffset.UnixEpoch.ToString(format, CultureInfo.InvariantCulture);
        }
        catch (FormatException)
        {
            throw new InvalidRequestException($"time format '{format}' is not a .NET date and time format (for example yyyy-MM-dd HH:mm:ss)");
        }
    }
}
