using Gapless.Core.Model;

namespace Gapless.Storage.Sqlite.Segments;

/// <summary>Reads one decimal field of a bar; a static abstract so the extractor's loop is specialised per field.</summary>
internal interface IBarField
{
    static abstract decimal? Get(in Bar bar);
}

internal readonly struct OpenField : IBarField
{
    public static decimal? Get(in Bar bar) => bar.Open;
}

internal readonly struct HighField : IBarField
{
    public static decimal? Get(in Bar bar) => bar.High;
}

internal readonly struct LowField : IBarField
{
    public static decimal? Get(in Bar bar) => bar.Low;
}

internal readonly struct CloseField : IBarField
{
    public static decimal? Get(in Bar bar) => bar.Close;
}

internal readonly struct VolumeField : IBarField
{
    public static decimal? Get(in Bar bar) => bar.Volume;
}

internal readonly struct QuoteVolumeField : IBarField
{
    public static decimal? Get(in Bar bar) => bar.QuoteVolume;
}

internal readonly struct VwapField : IBarField
{
    public static decimal? Get(in Bar bar) => bar.Vwap;
}

/// <summary>
/// One column of a segment, ready to encode: the present values as mantissas at <see cref="EncodeScale"/>
/// (the smallest exact scale), or as decimals when some value does not fit a long mantissa.
/// </summary>
internal sealed class ExtractedColumn
{
    public ExtractedColumn(int capacity)
    {
        Mantissas = new long[capacity];
        PresentMap = new bool[capacity];
    }

    /// <summary>Mantissas of the present values, compacted (index = k-th present value).</summary>
    public long[] Mantissas { get; private set; }

    /// <summary>Per bar: is the value present. Meaningful when <see cref="Presence"/> is mixed.</summary>
    public bool[] PresentMap { get; private set; }

    public decimal[]? Decimals { get; set; }

    public int PresentCount { get; set; }

    public byte Presence { get; set; }

    public bool IsDecimal { get; set; }

    public int DisplayScale { get; set; }

    public int EncodeScale { get; set; }

    public void EnsureCapacity(int count)
    {
        if (Mantissas.Length < count)
        {
            Mantissas = new long[Math.Max(count, Mantissas.Length * 2)];
            PresentMap = new bool[Mantissas.Length];
        }
    }
}

/// <summary>Turns a bar field into an <see cref="ExtractedColumn"/>: exact, at the smallest scale, no per-bar allocation.</summary>
internal static class ColumnExtractor
{
    public static void Extract<TField>(ReadOnlySpan<Bar> bars, ExtractedColumn column, byte[] scaleScratch)
        where TField : IBarField
    {
        column.EnsureCapacity(bars.Length);
        column.IsDecimal = false;
        column.Decimals = null;
        var mantissas = column.Mantissas;
        var present = column.PresentMap;
        Span<int> bits = stackalloc int[4];
        var count = 0;
        var maxScale = 0;
        var sameScale = true;
        var firstScale = -1;
        var fits = true;
        for (var i = 0; i < bars.Length; i++)
        {
            var value = TField.Get(in bars[i]);
            if (value is not { } v)
            {
                present[i] = false;
                continue;
            }

            present[i] = true;
            decimal.GetBits(v, bits);
            var scale = (bits[3] >> 16) & 0xFF;
            if (bits[2] != 0 || bits[1] < 0)
            {
                fits = false;
            }

            var raw = ((long)bits[1] << 32) | (uint)bits[0];
            mantissas[count] = bits[3] < 0 ? -raw : raw;
            scaleScratch[count] = (byte)scale;
            if (scale != firstScale)
            {
                sameScale &= firstScale < 0;
                firstScale = firstScale < 0 ? scale : firstScale;
                maxScale = Math.Max(maxScale, scale);
            }

            count++;
        }

        column.PresentCount = count;
        column.Presence = count == 0 ? SegmentFormat.PresenceNone
            : count == bars.Length ? SegmentFormat.PresenceAll : SegmentFormat.PresenceMixed;
        column.DisplayScale = maxScale;
        if (!fits || maxScale > SegmentFormat.MaxScaledScale || (!sameScale && !Rescale(mantissas.AsSpan(0, count), scaleScratch, maxScale)))
        {
            ToDecimals<TField>(bars, column);
            return;
        }

        column.EncodeScale = maxScale - StripZeros(mantissas.AsSpan(0, count), maxScale);
    }

    /// <summary>The same for trade counts (integers, scale 0).</summary>
    public static void ExtractTrades(ReadOnlySpan<Bar> bars, ExtractedColumn column)
    {
        column.EnsureCapacity(bars.Length);
        column.IsDecimal = false;
        column.Decimals = null;
        var mantissas = column.Mantissas;
        var present = column.PresentMap;
        var count = 0;
        for (var i = 0; i < bars.Length; i++)
        {
            if (bars[i].Trades is { } t)
            {
                present[i] = true;
                mantissas[count++] = t;
            }
            else
            {
                present[i] = false;
            }
        }

        column.PresentCount = count;
        column.Presence = count == 0 ? SegmentFormat.PresenceNone
            : count == bars.Length ? SegmentFormat.PresenceAll : SegmentFormat.PresenceMixed;
        column.DisplayScale = 0;
        column.EncodeScale = 0;
    }

    /// <summary>Brings every mantissa to <paramref name="target"/>; false when one overflows a long.</summary>
    private static bool Rescale(Span<long> mantissas, byte[] scales, int target)
    {
        for (var i = 0; i < mantissas.Length; i++)
        {
            var up = target - scales[i];
            if (up == 0)
            {
                continue;
            }

            var factor = DecimalScaling.Pow10(up);
            var m = mantissas[i];
            if (Math.Abs(m) > long.MaxValue / factor)
            {
                return false;
            }

            mantissas[i] = m * factor;
        }

        return true;
    }

    /// <summary>Divides out the trailing decimal zeros every value shares (at most <paramref name="maxDrop"/>); returns how many.</summary>
    private static int StripZeros(Span<long> mantissas, int maxDrop)
    {
        var drop = maxDrop;
        for (var i = 0; i < mantissas.Length && drop > 0; i++)
        {
            var m = mantissas[i];
            while (drop > 0 && m % DecimalScaling.Pow10(drop) != 0)
            {
                drop--;
            }
        }

        if (drop > 0)
        {
            var divisor = DecimalScaling.Pow10(drop);
            for (var i = 0; i < mantissas.Length; i++)
            {
                mantissas[i] /= divisor;
            }
        }

        return drop;
    }

    private static void ToDecimals<TField>(ReadOnlySpan<Bar> bars, ExtractedColumn column)
        where TField : IBarField
    {
        var decimals = new decimal[column.PresentCount];
        var k = 0;
        foreach (ref readonly var bar in bars)
        {
            if (TField.Get(in bar) is { } v)
            {
                decimals[k++] = v;
            }
        }

        column.IsDecimal = true;
        column.Decimals = decimals;
        column.DisplayScale = 0;
        column.EncodeScale = 0;
    }
}
