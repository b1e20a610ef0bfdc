using System.Buffers.Text;
using Gapless.Core.Model;

namespace Gapless.Providers.Csv;

/// <summary>
/// Reads rows of a generic bar CSV. The header row is required and names the columns, in any order, case and
/// surrounding spaces ignored: <c>time</c> (or <c>timestamp</c>, <c>date</c>, <c>datetime</c>, <c>open_time</c>),
/// <c>open</c>, <c>high</c>, <c>low</c>, <c>close</c>, <c>volume</c>; optional <c>quote_volume</c>, <c>trades</c>
/// (or <c>count</c>), <c>vwap</c>, empty where unknown. Other columns are ignored. Values are decimals written with a
/// point (<c>42000.01</c>, exponents allowed), read exactly with their scale; times as <see cref="CsvTime"/> says.
/// </summary>
internal sealed class GenericCsvRows
{
    private static readonly Dictionary<string, Column> Names = new(StringComparer.Ordinal)
    {
        ["time"] = Column.Time,
        ["timestamp"] = Column.Time,
        ["date"] = Column.Time,
        ["datetime"] = Column.Time,
        ["open_time"] = Column.Time,
        ["open"] = Column.Open,
        ["high"] = Column.High,
        ["low"] = Column.Low,
        ["close"] = Column.Close,
        ["volume"] = Column.Volume,
        ["quote_volume"] = Column.QuoteVolume,
        ["trades"] = Column.Trades,
        ["count"] = Column.Trades,
        ["vwap"] = Column.Vwap,
    };

    private readonly int[] _index;
    private readonly int _width;
    private readonly CsvTime _time;

    private GenericCsvRows(int[] index, CsvTime time)
    {
        _index = index;
        _width = index.Max() + 1;
        _time = time;
    }

    private enum Column
    {
        Time,
        Open,
        High,
        Low,
        Close,
        Volume,
        QuoteVolume,
        Trades,
        Vwap,
    }

    /// <summary>The columns a generic CSV must name.</summary>
    public const string Required = "time,open,high,low,close,volume";

    /// <summary>Maps the header's columns; explains what is missing when a required one is.</summary>
    public static bool TryCreate(IReadOnlyList<string> header, CsvTime time, out GenericCsvRows? rows, out string problem)
    {
        rows = null;
        var index = Enumerable.Repeat(-1, Enum.GetValues<Column>().Length).ToArray();
        for (var i = 0; i < header.Count; i++)
        {
            if (!Names.TryGetValue(header[i], out var column))
            {
                continue;
            }

            if (index[(int)column] >= 0)
            {
                problem = $"the header names the {column.ToString().ToLowerInvariant()} column twice ('{header[index[(int)column]]}' and '{header[i]}'); keep one";
                return false;
            }

            index[(int)column] = i;
        }

        var missing = Enum.GetValues<Column>().Where(c => c <= Column.Volume && index[(int)c] < 0).Select(c => c.ToString().ToLowerInvariant()).ToList();
        if (missing.Count > 0)
        {
            problem = $"the header has no {string.Join(", ", missing)} column{(missing.Count > 1 ? "s" : string.Empty)}; a generic CSV needs a header naming {Required}";
            return false;
        }

        rows = new GenericCsvRows(index, time);
        problem = string.Empty;
        return true;
    }

    public bool TryParse(ReadOnlySpan<byte> line, out Bar bar, out string problem)
    {
        bar = default;
        Span<Range> f = stackalloc Range[_width];
        var count = CsvFields.Split(line, f);
        if (count < _width)
        {
            problem = $"expected at least {_width} comma-separated fields, found {count}";
            return false;
        }

        if (!_time.TryParse(line[f[_index[(int)Column.Time]]], out var openTime, out problem)
            || !TryRequired(line, f, Column.Open, out var open, out problem)
            || !TryRequired(line, f, Column.High, out var high, out problem)
            || !TryRequired(line, f, Column.Low, out var low, out problem)
            || !TryRequired(line, f, Column.Close, out var close, out problem)
            || !TryRequired(line, f, Column.Volume, out var volume, out problem)
            || !TryOptional(line, f, Column.QuoteVolume, out var quote, out problem)
            || !TryOptional(line, f, Column.Vwap, out var vwap, out problem)
            || !TryTrades(line, f, out var trades, out problem))
        {
            return false;
        }

        bar = new Bar(openTime, open, high, low, close, volume, quote, trades, vwap);
        return true;
    }

    private bool TryRequired(ReadOnlySpan<byte> line, Span<Range> f, Column column, out decimal value, out string problem)
    {
        var text = line[f[_index[(int)column]]];
        if (DecimalText.TryParse(text, allowExponent: true, out value))
        {
            problem = string.Empty;
            return true;
        }

        problem = $"{column.ToString().ToLowerInvariant()} '{CsvTime.Show(text)}' is not a decimal number";
        return false;
    }

    private bool TryOptional(ReadOnlySpan<byte> line, Span<Range> f, Column column, out decimal? value, out string problem)
    {
        value = null;
        problem = string.Empty;
        if (_index[(int)column] < 0 || line[f[_index[(int)column]]].IsEmpty)
        {
            return true;
        }

        if (!TryRequired(line, f, column, out var v, out problem))
        {
            return false;
        }

        value = v;
        return true;
    }

    private bool TryTrades(ReadOnlySpan<byte> line, Span<Range> f, out long? trades, out string problem)
    {
        trades = null;
        problem = string.Empty;
        if (_index[(int)Column.Trades] < 0)
        {
            return true;
        }

        var text = line[f[_index[(int)Column.Trades]]];
        if (text.IsEmpty)
        {
            return true;
        }

        if (!Utf8Parser.TryParse(text, out long value, out var used) || used != text.Length)
        {
            problem = $"trades '{CsvTime.Show(text)}' is not a whole number";
            return false;
        }

        trades = value;
        return true;
    }
}
