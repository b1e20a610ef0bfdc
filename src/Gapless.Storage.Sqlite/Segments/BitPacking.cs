using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gapless.Storage.Sqlite.Segments;

/// <summary>
/// Frame-of-reference bit packing of one block of longs: <c>(ulong)(v − min)</c> in <c>width</c> bits each,
/// least significant bit first, contiguous. Wrapping arithmetic makes it exact for any longs (a block spanning
/// the whole long range takes width 64).
/// </summary>
internal static class BitPacking
{
    /// <summary>Bits needed for every <c>v − min</c> of a block whose values lie in [min, max].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Width(long min, long max) => 64 - BitOperations.LeadingZeroCount(unchecked((ulong)max - (ulong)min));

    public static int PackedBytes(int count, int width) => (int)(((long)count * width + 7) >> 3);

    /// <summary>Appends the packed block to <paramref name="sink"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Pack(ReadOnlySpan<long> values, long min, int width, ByteSink sink)
    {
        var bytes = PackedBytes(values.Length, width);
        if (bytes == 0)
        {
            return;
        }

        var dest = sink.Reserve(bytes + 8);
        var pos = 0;
        ulong acc = 0;
        var filled = 0;
        unchecked
        {
            foreach (var v in values)
            {
                var u = (ulong)(v - min);
                acc |= u << filled;
                filled += width;
                if (filled >= 64)
                {
                    MemoryMarshal.Write(dest[pos..], in acc);
                    pos += 8;
                    filled -= 64;

                    // The bits of u that did not fit (none when it ended exactly at the word's end).
                    acc = filled == 0 ? 0 : u >> (width - filled);
                }
            }
        }

        if (filled > 0)
        {
            MemoryMarshal.Write(dest[pos..], in acc);
        }

        sink.Advance(bytes);
    }

    /// <summary>
    /// Unpacks <paramref name="dest"/>.Length values of <paramref name="width"/> bits from <paramref name="src"/>
    /// (exactly the packed bytes) and adds <paramref name="min"/>.
    /// </summary>
    public static void Unpack(ReadOnlySpan<byte> src, int width, long min, Span<long> dest, bool srcHasSlack)
    {
        if (width == 0)
        {
            dest.Fill(min);
            return;
        }

        if (width > 56)
        {
            UnpackWide(src, width, min, dest);
            return;
        }

        if (!srcHasSlack)
        {
            // Near the end of the blob an 8-byte read would run past it: unpack from a padded copy.
            Span<byte> padded = stackalloc byte[src.Length + 8];
            src.CopyTo(padded);
            padded[src.Length..].Clear();
            UnpackNarrow(padded, width, min, dest);
            return;
        }

        UnpackNarrow(src, width, min, dest);
    }

    /// <summary>Widths 1..56: one unaligned 8-byte read per value. <paramref name="src"/> has 8 readable bytes past the packed ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UnpackNarrow(ReadOnlySpan<byte> src, int width, long min, Span<long> dest)
    {
        ref var s = ref MemoryMarshal.GetReference(src);
        ref var d = ref MemoryMarshal.GetReference(dest);
        var mask = (1UL << width) - 1;
        var bit = 0;
        unchecked
        {
            for (var i = 0; i < dest.Length; i++)
            {
                var word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref s, bit >> 3));
                Unsafe.Add(ref d, i) = (long)((word >> (bit & 7)) & mask) + min;
                bit += width;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UnpackWide(ReadOnlySpan<byte> src, int width, long min, Span<long> dest)
    {
        var bit = 0L;
        unchecked
        {
            for (var i = 0; i < dest.Length; i++)
            {
                ulong value = 0;
                for (var b = 0; b < width; b++, bit++)
                {
                    value |= (ulong)((src[(int)(bit >> 3)] >> (int)(bit & 7)) & 1) << b;
                }

                dest[i] = (long)value + min;
            }
        }
    }
}
