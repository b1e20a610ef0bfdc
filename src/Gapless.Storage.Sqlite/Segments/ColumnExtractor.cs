using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
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

    /// <summary>Per present value, its decimal scale (meaningful while extracting).</summary>
    public byte[] Scales { get; private set; } = [];

    public bool Fits { get; private set; }

    public bool SameScale { get; private set; }

    public void EnsureCapacity(int count)
    {
        if (Mantissas.Length < count)
        {
            Mantissas = new long[Math.Max(count, Mantissas.Length * 2)];
            PresentMap = new bool[Mantissas.Length];
        }

        if (Scales.Length < Mantissas.Length)
        {
            Scales = new byte[Mantissas.Length];
        }
    }

    /// <summary>Starts a one-pass extraction of <paramref name="count"/> bars (see <see cref="Add"/>).</summary>
    public void Begin(int count)
    {
        EnsureCapacity(count);
        IsDecimal = false;
        Decimals = null;
        PresentCount = 0;
        DisplayScale = 0;
        Fits = true;
        SameScale = true;
        PresentMap.AsSpan(0, count).Clear();
    }

    /// <summary>Ends a one-pass extraction: <paramref name="present"/> of <paramref name="bars"/> bars had values.</summary>
    public void SetExtracted(int bars, int present, int maxScale, bool sameScale, bool fits)
    {
        PresentCount = present;
        DisplayScale = maxScale;
        SameScale = sameScale;
        Fits = fits;
        Complete(bars);
    }

    /// <summary>Sets <see cref="Presence"/> once every bar was offered.</summary>
    public void Complete(int count)
        => Presence = PresentCount == 0 ? SegmentFormat.PresenceNone
            : PresentCount == count ? SegmentFormat.PresenceAll : SegmentFormat.PresenceMixed;
}

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

/// <summary>
/// The raw bits of a <see cref="decimal"/> (the OLE DECIMAL layout .NET uses: flags with sign and scale, high 32
/// bits, low 64 bits of the 96-bit magnitude), read in place. <see cref="LayoutKnown"/> checks the layout once
/// against <see cref="decimal.GetBits(decimal, Span{int})"/>; callers fall back to GetBits when it does not hold.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct RawDecimal
{
    public static readonly bool LayoutKnown = CheckLayout();

    private readonly int _flags;
    private readonly uint _hi;
    private readonly ulong _lo;

    /// <summary>
    /// The signed mantissa of <paramref name="value"/> (exact when <paramref name="overflow"/> stays 0); its scale
    /// is OR-ed into <paramref name="shape"/> at bit <paramref name="shift"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Mantissa(decimal value, int shift, ref ulong shape, ref ulong overflow)
    {
        ref readonly var raw = ref Unsafe.As<decimal, RawDecimal>(ref value);
        var lo = raw._lo;
        overflow |= raw._hi | (lo >> 63);
        shape |= (ulong)((raw._flags >> 16) & 0xFF) << shift;
        return raw._flags < 0 ? unchecked(-(long)lo) : (long)lo;
    }

    private static bool CheckLayout()
    {
        if (Unsafe.SizeOf<decimal>() != Unsafe.SizeOf<RawDecimal>())
        {
            return false;
        }

        Span<int> bits = stackalloc int[4];
        foreach (var probe in (ReadOnlySpan<decimal>)[-79228162514264337593543950335m, -0.0000123456789012m, 42000.01000000m, 12345678901234567.8901m])
        {
            decimal.GetBits(probe, bits);
            var copy = probe;
            ref readonly var raw = ref Unsafe.As<decimal, RawDecimal>(ref copy);
            if (raw._flags != bits[3] || raw._hi != (uint)bits[2] || raw._lo != (((ulong)(uint)bits[1] << 32) | (uint)bits[0]))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// Divisibility by 10^k and exact division by it, with multiplications only: a is divisible by 10^k when it has k
/// trailing zero bits and (a × 5^-k mod 2^64) ≤ ⌊(2^64 − 1) / 5^k⌋ (Granlund and Montgomery); the quotient of an
/// exact division is then (a >> k) × 5^-k mod 2^64. A 64-bit division costs tens of cycles; these cost a few.
/// </summary>
internal static class Pow10Division
{
    private static readonly ulong[] Inverse5 = new ulong[19];
    private static readonly ulong[] Limit5 = new ulong[19];

    static Pow10Division()
    {
        ulong p = 1;
        for (var k = 0; k < Inverse5.Length; k++)
        {
            // Newton's iteration for the inverse of an odd number modulo 2^64: each step doubles the correct bits.
            var x = p;
            for (var step = 0; step < 6; step++)
            {
                x = unchecked(x * (2 - (p * x)));
            }

            Inverse5[k] = x;
            Limit5[k] = ulong.MaxValue / p;
            p *= 5;
        }
    }

    /// <summary>5^-k modulo 2^64.</summary>
    public static ulong Inverse(int k) => Inverse5[k];

    /// <summary>⌊(2^64 − 1) / 5^k⌋.</summary>
    public static ulong Limit(int k) => Limit5[k];

    /// <summary>10^k (k in 1..18) as the constants its tests need, held in registers by the loops that use it.</summary>
    public readonly struct Divisor(int k)
    {
        private readonly int _k = k;
        private readonly ulong _inverse = Inverse5[k];
        private readonly ulong _limit = Limit5[k];

        /// <summary>True when 10^k divides <paramref name="a"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Divides(ulong a) => (a == 0 || BitOperations.TrailingZeroCount(a) >= _k) && unchecked(a * _inverse) <= _limit;

        /// <summary>a / 10^k, for an <paramref name="a"/> that <see cref="Divides"/> says is a multiple.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ulong DivideExact(ulong a) => unchecked((a >> _k) * _inverse);
    }
}
