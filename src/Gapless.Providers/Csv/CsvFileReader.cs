using System.IO.Compression;
using System.Runtime.CompilerServices;
using Gapless.Core.Errors;
using Gapless.Core.Import;
using Gapless.Core.Model;

namespace Gapless.Providers.Csv;

/// <summary>
/// Reads one bar file, plain <c>.csv</c> or a <c>.zip</c> holding one <c>.csv</c> (as data.binance.vision serves them),
/// streaming: the file is read in large blocks and parsed from bytes, never whole in memory. Each enumeration reads the
/// file again from its start. Remembers the format the first read found, so later reads need not guess again.
/// </summary>
internal sealed class CsvFileReader(string path, string name, CsvFormat format, Timeframe timeframe, string? timeFormat)
{
    /// <summary>The file as the user named it.</summary>
    public string Name => name;

    /// <summary>The file's format once a read has begun; <see cref="CsvFormat.Auto"/> before, or for an empty file.</summary>
    public CsvFormat Format { get; private set; } = format;

    /// <summary>For Binance archives, once read: true when times are microseconds.</summary>
    public bool? Microseconds { get; private set; }

    /// <summary>True when the file starts with a header row (known once a read has begun).</summary>
    public bool HasHeader { get; private set; }

    public bool IsZip => path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);

    /// <summary>The file's bars in file order, at most <paramref name="maxRows"/>.</summary>
    /// <exception cref="ImportDataException">A row does not parse, rows go back in time, or the file cannot be read.</exception>
    /// <exception cref="InvalidRequestException">The file is not in the format asked for, or its format cannot be told.</exception>
    public async IAsyncEnumerable<Bar> ReadAsync(int maxRows = int.MaxValue, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var rows = new CsvRowReader(name, Format, timeframe, timeFormat);
        var (archive, content) = Open();
        using var owner = archive;
        await using var stream = content;
        using var lines = new CsvLines(stream);
        var bars = new List<Bar>(1024);
        var yielded = 0;
        while (true)
        {
            var block = await NextBlockAsync(lines, cancellationToken).ConfigureAwait(false);
            if (block.IsEmpty)
            {
                yield break;
            }

            rows.Read(block.Span, bars);
            Format = rows.Format;
            HasHeader = rows.HasHeader;
            Microseconds = rows.Microseconds;
            foreach (var bar in bars)
            {
                yield return bar;
                if (++yielded >= maxRows)
                {
                    yield break;
                }
            }

            bars.Clear();
        }
    }

    private async ValueTask<ReadOnlyMemory<byte>> NextBlockAsync(CsvLines lines, CancellationToken cancellationToken)
    {
        try
        {
            return await lines.NextAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new ImportDataException(name, null, $"cannot be read: {e.Message}", e);
        }
    }

    private (ZipArchive? Archive, Stream Content) Open()
    {
        FileStream? file = null;
        try
        {
            file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                BufferSize = IsZip ? 4096 : 0, // plain files are read in 64 KiB blocks anyway
            });
            if (!IsZip)
            {
                return (null, file);
            }

            var archive = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: false);
            file = null;
            var csv = archive.Entries.Where(e => e.Name.Length > 0 && e.Name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)).ToList();
            if (csv.Count != 1)
            {
                archive.Dispose();
                throw new InvalidRequestException($"{name}: expected one .csv file inside the zip, found {csv.Count}");
            }

            try
            {
                return (archive, csv[0].Open());
            }
            catch
            {
                archive.Dispose();
                throw;
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            file?.Dispose();
            throw new ImportDataException(name, null, e is InvalidDataException ? $"is not a readable zip archive: {e.Message}" : $"cannot be read: {e.Message}", e);
        }
    }
}
