using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Gapless.Core.Model;

namespace Gapless.Storage.Sqlite.Segments;

/// <summary>Turns a bar field into an <see cref="ExtractedColumn"/>: exact, at the smallest scale, no per-bar allocation.</summary>
internal static class ColumnExtractor
{
    /// <summary>
    /// Every column of <paramref name="bars"/> in one pass over the rows (a bar is ~170 bytes: one pass per column
    /// would stream them eight times): mantissas at the smallest exact scale, or decimals when some value does not fit.
    /// </summary>
    public static void ExtractAll(ReadOnlySpan<Bar> bars, ExtractedColumn[] columns, Span<long> times, out int cutShortCount)
    {
        if (!TryExtractUniform(bars, columns, times, out cutShortCount))
        {
            ExtractGeneral(bars, columns, times, out cutShortCount);
        }
    }

    /// <summary>
    /// The common case in one pass over the rows: every column present in all bars or in none, each decimal
    /// column at one scale throughout, every mantissa within a long. Each value costs a few loads and a negate:
    /// the decimal's raw bits are read in place (flags, high 32 bits, low 64 bits), no division, no 128-bit
    /// arithmetic. False (nothing usable written) when a bar breaks one of those conditions; the general path
    /// then handles the segment.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryExtractUniform(ReadOnlySpan<Bar> bars, ExtractedColumn[] columns, Span<long> times, out int cutShortCount)
    {
        cutShortCount = 0;
        var n = bars.Length;
        if (n == 0 || !RawDecimal.LayoutKnown)
        {
            return false;
        }

        foreach (var column in columns)
        {
            column.EnsureCapacity(n);
        }

        var om = columns[SegmentFormat.Open].Mantissas.AsSpan(0, n);
        var hm = columns[SegmentFormat.High].Mantissas.AsSpan(0, n);
        var lm = columns[SegmentFormat.Low].Mantissas.AsSpan(0, n);
        var cm = columns[SegmentFormat.Close].Mantissas.AsSpan(0, n);
        var vm = columns[SegmentFormat.Volume].Mantissas.AsSpan(0, n);
        var qm = columns[SegmentFormat.QuoteVolume].Mantissas.AsSpan(0, n);
        var tm = columns[SegmentFormat.Trades].Mantissas.AsSpan(0, n);
        var wm = columns[SegmentFormat.Vwap].Mantissas.AsSpan(0, n);
        times = times[..n];

        // Per bar, one word of its shape: the seven decimal scales (5 bits each) and the presence of the three
        // optional columns. Every bar must have the first bar's shape; any difference is OR-ed into `diff`.
        ulong shape0 = 0, diff = 0, overflow = 0;
        var cut = 0;
        for (var i = 0; i < n; i++)
        {
            ref readonly var bar = ref bars[i];
            times[i] = bar.OpenTimeMs;
            ulong shape = 0;
            om[i] = RawDecimal.Mantissa(bar.Open, 0, ref shape, ref overflow);
            hm[i] = RawDecimal.Mantissa(bar.High, 5, ref shape, ref overflow);
            lm[i] = RawDecimal.Mantissa(bar.Low, 10, ref shape, ref overflow);
            cm[i] = RawDecimal.Mantissa(bar.Close, 15, ref shape, ref overflow);
            vm[i] = RawDecimal.Mantissa(bar.Volume, 20, ref shape, ref overflow);
            if (bar.QuoteVolume is { } q)
            {
                qm[i] = RawDecimal.Mantissa(q, 25, ref shape, ref overflow);
                shape |= 1UL << 40;
            }

            if (bar.Vwap is { } w)
            {
                wm[i] = RawDecimal.Mantissa(w, 30, ref shape, ref overflow);
                shape |= 1UL << 41;
            }

            if (bar.Trades is { } t)
            {
                tm[i] = t;
                shape |= 1UL << 42;
            }

            if (bar.CutShortAtMs is not null)
            {
                cut++;
            }

            if (i == 0)
            {
                shape0 = shape;
            }

            diff |= shape ^ shape0;
        }

        if ((diff | overflow) != 0)
        {
            return false;
        }

        cutShortCount = cut;
        SetUniform(columns[SegmentFormat.Trades], n, (shape0 & (1UL << 42)) != 0, 0);
        for (var c = SegmentFormat.Open; c <= SegmentFormat.Volume; c++)
        {
            SetUniform(columns[c], n, true, (int)((shape0 >> (5 * c)) & 31));
        }

        SetUniform(columns[SegmentFormat.QuoteVolume], n, (shape0 & (1UL << 40)) != 0, (int)((shape0 >> 25) & 31));
        SetUniform(columns[SegmentFormat.Vwap], n, (shape0 & (1UL << 41)) != 0, (int)((shape0 >> 30) & 31));
        foreach (var column in columns)
        {
            if (column.Presence != SegmentFormat.PresenceNone && column.DisplayScale > SegmentFormat.MaxScaledScale)
            {
                return false;
            }
        }

        for (var c = 0; c < columns.Length; c++)
        {
            var column = columns[c];
            if (c != SegmentFormat.Trades && column.Presence != SegmentFormat.PresenceNone)
            {
                column.EncodeScale = column.DisplayScale - StripZeros(column.Mantissas.AsSpan(0, n), column.DisplayScale);
            }
        }

        return true;
    }

    private static void SetUniform(ExtractedColumn column, int n, bool present, int scale)
    {
        column.IsDecimal = false;
        column.Decimals = null;
        column.EncodeScale = scale;
        column.SetExtracted(n, present ? n : 0, present ? scale : 0, sameScale: true, fits: true);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ExtractGeneral(ReadOnlySpan<Bar> bars, ExtractedColumn[] columns, Span<long> times, out int cutShortCount)
    {
        var n = bars.Length;
        cutShortCount = 0;
        foreach (var column in columns)
        {
            column.Begin(n);
        }

        var o = columns[SegmentFormat.Open];
        var h = columns[SegmentFormat.High];
        var l = columns[SegmentFormat.Low];
        var c = columns[SegmentFormat.Close];
        var v = columns[SegmentFormat.Volume];
        var q = columns[SegmentFormat.QuoteVolume];
        var t = columns[SegmentFormat.Trades];
        var w = columns[SegmentFormat.Vwap];

        // One tight pass per column, its state in registers: the rows (a 1000-bar commit is ~170 KB) stay in cache
        // between passes, and a pass that touches one field beats one pass that juggles eight columns' state.
        var trades = t.Mantissas;
        var tradesPresent = t.PresentMap;
        var tk = 0;
        for (var i = 0; i < n; i++)
        {
            ref readonly var bar = ref bars[i];
            times[i] = bar.OpenTimeMs;
            if (bar.Trades is { } tv)
            {
                trades[tk++] = tv;
                tradesPresent[i] = true;
            }

            if (bar.CutShortAtMs is not null)
            {
                cutShortCount++;
            }
        }

        t.SetExtracted(n, tk, 0, sameScale: true, fits: true);
        t.EncodeScale = 0;
        Extract<OpenField>(bars, o);
        Extract<HighField>(bars, h);
        Extract<LowField>(bars, l);
        Extract<CloseField>(bars, c);
        Extract<VolumeField>(bars, v);
        Extract<QuoteVolumeField>(bars, q);
        Extract<VwapField>(bars, w);
    }

    /// <summary>One decimal column: mantissas of the present values, their scales only once they differ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Extract<TField>(ReadOnlySpan<Bar> bars, ExtractedColumn column)
        where TField : IBarField
    {
        var mantissas = column.Mantissas;
        var scales = column.Scales;
        var present = column.PresentMap;
        ulong overflow = 0;
        int first = -1, maxScale = 0, k = 0;
        var mixed = false;
        Span<int> bits = stackalloc int[4];
        for (var i = 0; i < bars.Length; i++)
        {
            if (TField.Get(in bars[i]) is not { } value)
            {
                continue;
            }

            present[i] = true;
            decimal.GetBits(value, bits);
            var flags = bits[3];
            var hi = (uint)bits[2];
            var lo = ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
            var scale = (flags >> 16) & 0xFF;
            overflow |= hi | (lo >> 63);
            mantissas[k] = flags < 0 ? -(long)lo : (long)lo;
            if (scale != first)
            {
                if (first < 0)
                {
                    first = scale;
                }
                else if (!mixed)
                {
                    // The first other scale: from here on every value's scale is kept (the earlier ones were all `first`).
                    scales.AsSpan(0, k).Fill((byte)first);
                    mixed = true;
                }

                maxScale = Math.Max(maxScale, scale);
            }

            if (mixed)
            {
                scales[k] = (byte)scale;
            }

            k++;
        }

        column.SetExtracted(bars.Length, k, maxScale, sameScale: !mixed, fits: overflow == 0);
        Finish<TField>(bars, column);
    }

    private static void Finish<TField>(ReadOnlySpan<Bar> bars, ExtractedColumn column)
        where TField : IBarField
    {
        var count = column.PresentCount;
        column.Complete(bars.Length);
        var maxScale = column.DisplayScale;
        var mantissas = column.Mantissas;
        if (!column.Fits || maxScale > SegmentFormat.MaxScaledScale || (!column.SameScale && !Rescale(mantissas.AsSpan(0, count), column.Scales, maxScale)))
        {
            ToDecimals<TField>(bars, column);
            return;
        }

        column.EncodeScale = maxScale - StripZeros(mantissas.AsSpan(0, count), maxScale);
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int StripZeros(Span<long> mantissas, int maxDrop)
    {
        var drop = Math.Min(maxDrop, SegmentFormat.MaxScaledScale);
        if (drop == 0)
        {
            return 0;
        }

        if (Vector512.IsHardwareAccelerated && Avx512DQ.IsSupported && mantissas.Length >= Vector512<long>.Count)
        {
            return StripZerosVector(mantissas, drop);
        }

        // One pass that divides as it checks; a value that is not a multiple (rare: the scale is then mostly
        // significant) undoes what was divided and starts again with fewer zeros.
        while (drop > 0)
        {
            var divisor = new Pow10Division.Divisor(drop);
            var i = 0;
            for (; i < mantissas.Length; i++)
            {
                var m = mantissas[i];
                var a = Magnitude(m);
                if (!divisor.Divides(a))
                {
                    break;
                }

                var q = (long)divisor.DivideExact(a);
                mantissas[i] = m < 0 ? -q : q;
            }

            if (i == mantissas.Length)
            {
                return drop;
            }

            var factor = DecimalScaling.Pow10(drop);
            for (var j = 0; j < i; j++)
            {
                mantissas[j] *= factor;
            }

            drop--;
        }

        return 0;
    }

    /// <summary>
    /// <see cref="StripZeros"/> eight values at a time: one pass finds the largest power of ten dividing every
    /// value (lowering it as values refuse; a value divisible by 10^k is divisible by every smaller power, so
    /// nothing is re-checked), a second divides by it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int StripZerosVector(Span<long> mantissas, int drop)
    {
        var count = Vector512<long>.Count;
        var last = mantissas.Length - count;
        for (var i = 0; ; i += count)
        {
            // The last vector overlaps the one before it when the length is not a multiple of 8: harmless for a test.
            var a = Vector512.Abs(Vector512.Create<long>(mantissas.Slice(Math.Min(i, last), count))).AsUInt64();
            while (!AllDivisible(a, drop))
            {
                if (--drop == 0)
                {
                    return 0;
                }
            }

            if (i >= last)
            {
                break;
            }
        }

        var inverse = Vector512.Create(Pow10Division.Inverse(drop));
        var tail = mantissas.Length % count;
        for (var i = 0; i + count <= mantissas.Length; i += count)
        {
            Divide(mantissas.Slice(i, count), drop, inverse);
        }

        if (tail != 0)
        {
            var divisor = new Pow10Division.Divisor(drop);
            foreach (ref var m in mantissas[^tail..])
            {
                var q = (long)divisor.DivideExact(Magnitude(m));
                m = m < 0 ? -q : q;
            }
        }

        return drop;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool AllDivisible(Vector512<ulong> a, int k)
    {
        var lowBits = Vector512.Create((1UL << k) - 1);
        var odd = Vector512.ShiftRightLogical(a, k) * Vector512.Create(Pow10Division.Inverse(k));
        return Vector512.EqualsAll(a & lowBits, Vector512<ulong>.Zero)
            && Vector512.LessThanOrEqualAll(odd, Vector512.Create(Pow10Division.Limit(k)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Divide(Span<long> values, int k, Vector512<ulong> inverse)
    {
        var v = Vector512.Create<long>(values);
        var sign = Vector512.ShiftRightArithmetic(v, 63);
        var q = (Vector512.ShiftRightLogical(Vector512.Abs(v).AsUInt64(), k) * inverse).AsInt64();
        ((q ^ sign) - sign).CopyTo(values);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Magnitude(long m) => m < 0 ? unchecked(0UL - (ulong)m) : (ulong)m;

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
