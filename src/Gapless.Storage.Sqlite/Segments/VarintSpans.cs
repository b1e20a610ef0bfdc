using System.Runtime.CompilerServices;

namespace Gapless.Storage.Sqlite.Segments;

/// <summary>Varint reads over a span with a caller-held position, for the block headers of <see cref="PackedStream"/>.</summary>
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
