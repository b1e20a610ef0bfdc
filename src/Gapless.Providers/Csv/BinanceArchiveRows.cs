using System.Buffers.Text;
using Gapless.Core.Model;

namespace Gapless.Providers.Csv;

/// <summary>
/// Reads rows of a Binance public-data kline archive (data.binance.vision): <c>open_time, open, high, low, close,
/// volume, close_time, quote_volume, count, taker_buy_volume, taker_buy_quote_volume, ignore</c>. Binance's bar
/// conventions are normalised as its API parser does: the open time is kept as sent; a close time before the regular
/// one (open + interval − 1 ms) marks a bar cut short by a halt (<see cref="Bar.CutShortAtMs"/>); taker volumes are not
/// kept. Times are epoch milliseconds, or microseconds in spot archives from 2025 on: the first row decides (a value of
/// 10^14 or more is microseconds) and every row must agree. Not thread-safe: remembers the unit.
/// </summary>
internal sealed class BinanceArchiveRows(Timeframe timeframe)
{
    /// <summary>The header row of futures archives (spot archives have none).</summary>
    public static readonly string[] Columns =
        ["open_time", "open", "high", "low", "close", "volume", "close_time", "quote_volume", "count", "taker_buy_volume", "taker_buy_quote_volume", "ignore"];

    /// <summary>The fields a row must have; <c>ignore</c>, the twelfth, may be missing, and fields Binance may add later are skipped.</summary>
    public const int MinFields = 11;

    private const long MicrosecondsFrom = 100_000_000_000_000; // 10^14 ms would be the year 5138

    private bool? _microseconds;

    /// <summary>True when the open times are microseconds (decided by the first row).</summary>
    public bool? Microseconds => _microseconds;

    /// <summary>True when <paramref name="names"/> (lower-cased header fields) begin as Binance's header does.</summary>
    public static bool IsHeader(IReadOnlyList<string> names)
        => names.Count >= MinFields && names.Take(9).SequenceEqual(Columns.Take(9), StringComparer.Ordinal);

    public bool TryParse(ReadOnlySpan<byte> line, out Bar bar, out string problem)
    {
        bar = default;
        Span<Range> f = stackalloc Range[MinFields];
        var count = CsvFields.Split(line, f);
        if (count < MinFields)
        {
            problem = $"expected {Columns.Length} comma-separated fields ({string.Join(',', Columns)}), found {count}";
            return false;
        }

        if (!TryTime(line[f[0]], "open_time", out var openTime, out problem)
            || !TryTime(line[f[6]], "close_time", out var closeTime, out problem)
            || !TryDecimal(line[f[1]], "open", out var open, out problem)
            || !TryDecimal(line[f[2]], "high", out var high, out problem)
            || !TryDecimal(line[f[3]], "low", out var low, out problem)
            || !TryDecimal(line[f[4]], "close", out var close, out problem)
            || !TryDecimal(line[f[5]], "volume", out var volume, out problem)
            || !TryDecimal(line[f[7]], "quote_volume", out var quote, out problem))
        {
            return false;
        }

        if (!Utf8Parser.TryParse(line[f[8]], out long trades, out var used) || used != line[f[8]].Length)
        {
            problem = $"count '{CsvTime.Show(line[f[8]])}' is not a whole number";
            return false;
        }

        if (_microseconds == true && openTime % 1000 != 0)
        {
            problem = $"open_time {openTime} µs is not a whole millisecond";
            return false;
        }

        var openMs = _microseconds == true ? openTime / 1000 : openTime;
        var closeMs = _microseconds == true ? closeTime / 1000 : closeTime;

        // The close of the grid slot holding the open time: an off-grid bar is the validator's to judge, not cut short.
        var regularClose = timeframe.CloseOf(timeframe.Floor(openMs)) - 1;
        bar = new Bar(openMs, open, high, low, close, volume, quote, trades, CutShortAtMs: closeMs < regularClose ? closeMs : null);
        return true;
    }

    private bool TryTime(ReadOnlySpan<byte> text, string field, out long value, out string problem)
    {
        if (!Utf8Parser.TryParse(text, out value, out var used) || used != text.Length || value < 0)
        {
            problem = $"{field} '{CsvTime.Show(text)}' is not an epoch time";
            return false;
        }

        var micro = value >= MicrosecondsFrom;
        _microseconds ??= micro;
        if (micro != _microseconds)
        {
            problem = $"{field} {value} is in {(micro ? "microseconds" : "milliseconds")}, but the file's first row is in {(micro ? "milliseconds" : "microseconds")}";
            return false;
        }

        problem = string.Empty;
        return true;
    }

    private static bool TryDecimal(ReadOnlySpan<byte> text, string field, out decimal value, out string problem)
    {
        if (DecimalText.TryParse(text, allowExponent: false, out value))
        {
            problem = string.Empty;
            return true;
        }

        problem = $"{field} '{CsvTime.Show(text)}' is not a decimal number";
        return false;
    }
}
