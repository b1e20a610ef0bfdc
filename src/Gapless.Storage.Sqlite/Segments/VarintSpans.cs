using System.Runtime.CompilerServices;

namespace Gapless.Storage.Sqlite.Segments;

/// <summary>The decoder's hot loops: whole varint streams into mantissa spans, no allocation.</summary>
internal static class VarintSpans
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Read(ReadOnlySpan<byte> src, ref int pos)
    {
        // One- and two-byte varints (most deltas) take the inlined path; the rest and every error go out of line.
        var p = pos;
        if ((uint)(p + 1) < (uint)src.Length)
        {
            ulong b = src[p];
            if (b < 0x80)
            {
                pos = p + 1;
                return b;
            }

            ulong b1 = src[p + 1];
            if (b1 < 0x80)
            {
                pos = p + 2;
                return (b & 0x7F) | (b1 << 7);
            }
        }

        return ReadSlow(src, ref pos);
    }

    /// <summary>dest[i] = unzigzag(v[i]) × factor.</summary>
    public static void ReadRaw(ReadOnlySpan<byte> src, Span<long> dest, long factor)
    {
        var pos = 0;
        for (var i = 0; i < dest.Length; i++)
        {
            dest[i] = unchecked(Varint.UnZigZag(Read(src, ref pos)) * factor);
        }

        CheckConsumed(src, pos);
    }

    /// <summary>dest[i] = (running sum of unzigzag(v)) × factor.</summary>
    public static void ReadDelta(ReadOnlySpan<byte> src, Span<long> dest, long factor)
    {
        var pos = 0;
        long prev = 0;
        for (var i = 0; i < dest.Length; i++)
        {
            prev = unchecked(prev + Varint.UnZigZag(Read(src, ref pos)));
            dest[i] = unchecked(prev * factor);
        }

        CheckConsumed(src, pos);
    }

    public static void CheckConsumed(ReadOnlySpan<byte> src, int pos)
    {
        if (pos != src.Length)
        {
            ThrowTrailing();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTrailing() => throw new FormatException("segment column has trailing bytes");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong ReadSlow(ReadOnlySpan<byte> src, ref int pos)
    {
        ulong result = 0;
        var shift = 0;
        while (true)
        {
            if ((uint)pos >= (uint)src.Length || shift > 63)
            {
                throw new FormatException("segment holds a broken varint");
            }

            ulong b = src[pos++];
            result |= (b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }

            shift += 7;
        }
    }
}
