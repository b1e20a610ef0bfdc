using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gapless.Storage.Sqlite.Segments;

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
