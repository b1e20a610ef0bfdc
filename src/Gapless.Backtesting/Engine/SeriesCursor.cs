using System.Runtime.CompilerServices;
using Gapless.Core.Model;

namespace Gapless.Backtesting.Engine;

/// <summary>
/// One series as the loop reads it: the index range replayed (<c>[0, Start)</c> warm-up, <c>[Start, End)</c> the
/// backtest range), the next bar, and its prices converted to doubles a block of <see cref="BlockSize"/> bars at a
/// time. Each value is converted once, but a year of 1m bars never becomes 20 MB of fresh double arrays: a block
/// buffer stays in cache and costs no page faults, which on a busy machine cost more than the conversion itself.
/// </summary>
internal sealed class SeriesCursor
{
    public const int BlockSize = 4096;

    private readonly BarFrame _frame;

    public SeriesCursor(BacktestSeries series, TimeRange? range)
    {
        _frame = series.Bars;
        Symbol = series.Symbol;
        Timeframe = series.Timeframe;
        foreach (var (name, column) in new[] { ("open", _frame.Open), ("high", _frame.High), ("low", _frame.Low), ("close", _frame.Close) })
        {
            if (column.HasMissing)
            {
                throw new ArgumentException($"series {Symbol}: the {name} column has missing values", nameof(series));
            }
        }

        var times = _frame.OpenTimes;
        if (FirstOutOfOrder(times) is var bad and > 0)
        {
            throw new ArgumentException($"series {Symbol}: bars must be in strictly ascending open-time order (at index {bad}, {UtcTime.ToIso(times[bad])})", nameof(series));
        }

        FixedLengthMs = Timeframe.IsFixedLength ? Timeframe.NominalLengthMs : 0;
        Start = range is { } r ? LowerBound(times, r.FromMs) : 0;
        End = range is { } q ? LowerBound(times, q.ToMs) : times.Length;
        var size = Math.Min(BlockSize, End);
        (Open, High, Low, Close, Volume) = (new double[size], new double[size], new double[size], new double[size], new double[size]);
        if (End > 0)
        {
            Load(0);
        }
    }

    public string Symbol { get; }

    /// <summary>The bars replayed.</summary>
    public BarFrame Frame => _frame;

    public Timeframe Timeframe { get; }

    /// <summary>Open times, epoch ms UTC, ascending (the frame's own, not a copy).</summary>
    public ReadOnlySpan<long> OpenTimes => _frame.OpenTimes;

    /// <summary>The bar length when fixed (every timeframe but <c>1M</c>), else 0.</summary>
    public long FixedLengthMs { get; }

    /// <summary>The first bar inside the range; bars before it are warm-up.</summary>
    public int Start { get; }

    /// <summary>One past the last bar replayed.</summary>
    public int End { get; }

    /// <summary>The next bar to replay.</summary>
    public int Next { get; private set; }

    /// <summary>The bar index the block buffers start at: bar <c>i</c>'s open is <c>Open[i − BlockStart]</c>.</summary>
    public int BlockStart { get; private set; }

    /// <summary>One past the last bar in the block buffers.</summary>
    public int BlockEnd { get; private set; }

    public double[] Open { get; }

    public double[] High { get; }

    public double[] Low { get; }

    public double[] Close { get; }

    public double[] Volume { get; }

    public bool HasNext => Next < End;

    /// <summary>When bar <paramref name="i"/> closes (exclusive end, epoch ms): when the strategy sees it.</summary>
    public long CloseAt(int i)
    {
        var open = _frame.OpenTimes[i];
        return FixedLengthMs > 0 ? open + FixedLengthMs : Timeframe.CloseOf(open);
    }

    /// <summary>Moves to the next bar, converting the next block when this one is used up.</summary>
    public void Advance()
    {
        Next++;
        if (Next == BlockEnd && Next < End)
        {
            Load(Next);
        }
    }

    /// <summary>Converts the block of bars starting at <paramref name="first"/> into the buffers.</summary>
    public void Load(int first)
    {
        var count = Math.Min(BlockSize, End - first);
        Columns.Convert(_frame.Open, first, Open.AsSpan(0, count));
        Columns.Convert(_frame.High, first, High.AsSpan(0, count));
        Columns.Convert(_frame.Low, first, Low.AsSpan(0, count));
        Columns.Convert(_frame.Close, first, Close.AsSpan(0, count));
        Columns.Convert(_frame.Volume, first, Volume.AsSpan(0, count));
        (BlockStart, BlockEnd, Next) = (first, first + count, first);
    }

    /// <summary>The first index whose open time is not after the previous one, or −1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per run over every bar: skip tier 0 and OSR
    private static int FirstOutOfOrder(ReadOnlySpan<long> times)
    {
        for (var i = 1; i < times.Length; i++)
        {
            if (times[i] <= times[i - 1])
            {
                return i;
            }
        }

        return -1;
    }

    private static int LowerBound(ReadOnlySpan<long> times, long value)
    {
        var index = times.BinarySearch(value);
        return index >= 0 ? index : ~index;
    }
}
