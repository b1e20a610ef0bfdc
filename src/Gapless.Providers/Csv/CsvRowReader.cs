using System.Text;
using Gapless.Core.Errors;
using Gapless.Core.Import;
using Gapless.Core.Model;

namespace Gapless.Providers.Csv;

/// <summary>
/// Turns the lines of one file into bars: decides the format from the first line (when asked to), reads the header,
/// parses each row, and checks that times ascend. Blank lines and a UTF-8 byte order mark are skipped. A row that
/// does not parse throws <see cref="ImportDataException"/> naming <c>file:line</c>; a file whose format is not the one
/// asked for (or cannot be told) throws <see cref="InvalidRequestException"/>. Not thread-safe.
/// </summary>
internal sealed class CsvRowReader(string file, CsvFormat format, Timeframe timeframe, string? timeFormat)
{
    private readonly CsvFormat _asked = format;
    private BinanceArchiveRows? _binance;
    private GenericCsvRows? _generic;
    private long _line;
    private long _lastOpen = long.MinValue;

    /// <summary>The file's format, once its first line is read (<see cref="CsvFormat.Auto"/> before).</summary>
    public CsvFormat Format { get; private set; } = format;

    /// <summary>True when the file's first line is a header.</summary>
    public bool HasHeader { get; private set; }

    /// <summary>For Binance archives: true when times are microseconds.</summary>
    public bool? Microseconds => _binance?.Microseconds;

    /// <summary>Parses every line of <paramref name="block"/> (whole lines) into <paramref name="bars"/>.</summary>
    public void Read(ReadOnlySpan<byte> block, List<Bar> bars)
    {
        while (!block.IsEmpty)
        {
            var newline = block.IndexOf((byte)'\n');
            var line = newline < 0 ? block : block[..newline];
            block = newline < 0 ? default : block[(newline + 1)..];
            _line++;
            if (_line == 1 && line.StartsWith("\uFEFF"u8))
            {
                line = line[3..];
            }

            if (line.Length > 0 && line[^1] == '\r')
            {
                line = line[..^1];
            }

            if (line.Trim(" \t"u8).IsEmpty)
            {
                continue;
            }

            if (_binance is null && _generic is null && Start(line))
            {
                continue;
            }

            Bar bar;
            var ok = _binance is not null
                ? _binance.TryParse(line, out bar, out var problem)
                : _generic!.TryParse(line, out bar, out problem);
            if (!ok)
            {
                throw new ImportDataException(file, _line, problem);
            }

            if (bar.OpenTimeMs < _lastOpen)
            {
                throw new ImportDataException(file, _line, $"time {UtcTime.ToIso(bar.OpenTimeMs)} is before the previous row's ({UtcTime.ToIso(_lastOpen)}); rows must ascend in time");
            }

            _lastOpen = bar.OpenTimeMs;
            bars.Add(bar);
        }
    }

    /// <summary>Sets up the row parser from the first line; true when that line is a header.</summary>
    private bool Start(ReadOnlySpan<byte> line)
    {
        var first = line.Trim(" \t\""u8);
        var isData = first.Length > 0 && char.IsAsciiDigit((char)first[0]);
        var names = isData ? [] : Header(line);
        if (Format == CsvFormat.Auto)
        {
            Format = isData
                ? CsvFields.Split(line, []) >= BinanceArchiveRows.MinFields
                    ? CsvFormat.Binance
                    : throw Unknown($"its first line is a row of {CsvFields.Split(line, [])} fields without a header; a generic CSV needs a header naming {GenericCsvRows.Required}")
                : BinanceArchiveRows.IsHeader(names) ? CsvFormat.Binance : CsvFormat.Generic;
        }

        if (Format == CsvFormat.Binance)
        {
            if (!isData && !BinanceArchiveRows.IsHeader(names))
            {
                throw Unknown($"its first line is not a Binance kline archive header ({string.Join(',', BinanceArchiveRows.Columns)})");
            }

            _binance = new BinanceArchiveRows(timeframe);
            HasHeader = !isData;
            return HasHeader;
        }

        if (isData)
        {
            throw Unknown($"it has no header row; a generic CSV needs a header naming {GenericCsvRows.Required}");
        }

        if (!GenericCsvRows.TryCreate(names, new CsvTime(timeFormat), out _generic, out var problem))
        {
            throw Unknown(problem);
        }

        HasHeader = true;
        return true;
    }

    private static List<string> Header(ReadOnlySpan<byte> line)
    {
        var names = new List<string>();
        Span<Range> fields = stackalloc Range[64];
        var count = Math.Min(CsvFields.Split(line, fields), fields.Length);
        foreach (var range in fields[..count])
        {
            names.Add(Encoding.UTF8.GetString(line[range]).Trim().ToLowerInvariant().Replace(' ', '_'));
        }

        return names;
    }

    private InvalidRequestException Unknown(string why)
        => new(_asked == CsvFormat.Auto
            ? $"{file}:{_line}: cannot tell the file's format: {why}"
            : $"{file}:{_line}: not a {_asked.ToString().ToLowerInvariant()} CSV: {why}");
}
