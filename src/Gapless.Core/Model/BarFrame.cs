using System.Collections;

namespace Gapless.Core.Model;

/// <summary>
/// An immutable, columnar block of bars in ascending open-time order: what fast consumers (backtests, exports)
/// read. Prices and volumes are exact <see cref="DecimalColumn"/>s; <see cref="DecimalColumn.ToDoubles"/> gives
/// a numeric view in one pass. Also an <see cref="IReadOnlyList{Bar}"/> for code that wants rows.
/// </summary>
public sealed class BarFrame : IReadOnlyList<Bar>
{
    private readonly long[] _openTimes;
    private readonly IReadOnlyDictionary<long, long> _cutShort;

    public static readonly BarFrame Empty = FromBars([]);

    /// <summary>Takes ownership of the arrays and columns; every column must hold <paramref name="count"/> entries.</summary>
    public BarFrame(
        int count,
        long[] openTimes,
        DecimalColumn open,
        DecimalColumn high,
        DecimalColumn low,
        DecimalColumn close,
        DecimalColumn volume,
        DecimalColumn? quoteVolume = null,
        DecimalColumn? trades = null,
        DecimalColumn? vwap = null,
        IReadOnlyDictionary<long, long>? cutShortAt = null)
    {
        ArgumentNullException.ThrowIfNull(openTimes);
        Preconditions.CheckArgument(openTimes.Length >= count, nameof(openTimes), $"openTimes holds {openTimes.Length} entries, fewer than count ({count})");
        foreach (var column in new[] { open, high, low, close, volume, quoteVolume, trades, vwap })
        {
            Preconditions.CheckArgument(column is null || column.Count == count, nameof(count), $"every column must hold {count} entries");
        }

        Count = count;
        _openTimes = openTimes;
        Open = open;
        High = high;
        Low = low;
        Close = close;
        Volume = volume;
        QuoteVolume = quoteVolume;
        Trades = trades;
        Vwap = vwap;
        _cutShort = cutShortAt ?? new Dictionary<long, long>();
    }

    public int Count { get; }

    /// <summary>Open times, epoch milliseconds UTC, strictly ascending.</summary>
    public ReadOnlySpan<long> OpenTimes => _openTimes.AsSpan(0, Count);

    public DecimalColumn Open { get; }

    public DecimalColumn High { get; }

    public DecimalColumn Low { get; }

    public DecimalColumn Close { get; }

    public DecimalColumn Volume { get; }

    /// <summary>Null when the vendor gives no quote volume.</summary>
    public DecimalColumn? QuoteVolume { get; }

    /// <summary>Trade counts (scale 0); null when the vendor gives none.</summary>
    public DecimalColumn? Trades { get; }

    public DecimalColumn? Vwap { get; }

    /// <summary>Bars the vendor closed early: open time → the vendor's close time (both epoch ms).</summary>
    public IReadOnlyDictionary<long, long> CutShortAt => _cutShort;

    public Bar this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be within 0..{Count - 1}");
            }

            var t = _openTimes[index];
            var trades = Trades?[index];
            return new Bar(
                t,
                Open[index]!.Value,
                High[index]!.Value,
                Low[index]!.Value,
                Close[index]!.Value,
                Volume[index]!.Value,
                QuoteVolume?[index],
                trades is null ? null : (long)trades.Value,
                Vwap?[index],
                _cutShort.TryGetValue(t, out var cut) ? cut : null);
        }
    }

    /// <summary>Builds a frame from bars already sorted by open time.</summary>
    public static BarFrame FromBars(IReadOnlyList<Bar> bars)
    {
        ArgumentNullException.ThrowIfNull(bars);
        var n = bars.Count;
        var times = new long[n];
        var open = new DecimalColumnBuilder(n);
        var high = new DecimalColumnBuilder(n);
        var low = new DecimalColumnBuilder(n);
        var close = new DecimalColumnBuilder(n);
        var volume = new DecimalColumnBuilder(n);
        var quote = new DecimalColumnBuilder(n);
        var trades = new DecimalColumnBuilder(n);
        var vwap = new DecimalColumnBuilder(n);
        bool anyQuote = false, anyTrades = false, anyVwap = false;
        Dictionary<long, long>? cut = null;
        for (var i = 0; i < n; i++)
        {
            var b = bars[i];
            Preconditions.CheckArgument(i == 0 || b.OpenTimeMs > times[i - 1], nameof(bars), $"bars must be in strictly ascending open-time order (at index {i})");
            times[i] = b.OpenTimeMs;
            open.Add(b.Open);
            high.Add(b.High);
            low.Add(b.Low);
            close.Add(b.Close);
            volume.Add(b.Volume);
            quote.Add(b.QuoteVolume);
            trades.Add(b.Trades);
            vwap.Add(b.Vwap);
            anyQuote |= b.QuoteVolume is not null;
            anyTrades |= b.Trades is not null;
            anyVwap |= b.Vwap is not null;
            if (b.CutShortAtMs is { } c)
            {
                (cut ??= [])[b.OpenTimeMs] = c;
            }
        }

        return new BarFrame(
            n, times, open.Build(), high.Build(), low.Build(), close.Build(), volume.Build(),
            anyQuote ? quote.Build() : null,
            anyTrades ? trades.Build() : null,
            anyVwap ? vwap.Build() : null,
            cut);
    }

    public IEnumerator<Bar> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
