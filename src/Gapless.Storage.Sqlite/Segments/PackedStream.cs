using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Gapless.Storage.Sqlite.Segments;

/// <summary>
/// A column of longs as self-contained blocks of <see cref="SegmentFormat.BlockSize"/> values, each packed the
/// way that takes fewest bits (see <see cref="SegmentFormat"/>):
/// <code>
/// block    : header byte (mode &lt;&lt; 7 | width), then by mode
/// raw      : zigzag varint min, packed (v − min)
/// delta    : zigzag varint first value, zigzag varint min, packed (v[i] − v[i−1] − min) for i ≥ 1
/// residual : 8-byte little-endian double f, zigzag varint min, packed (v − predict(i, f) − min)
/// </code>
/// Residual blocks appear only in the quote-volume column, predicted from volume × (open + close) (see <see cref="Predict"/>).
/// </summary>
internal static class PackedStream
{
    private const int ModeRaw = 0;
    private const int ModeDelta = 1;
    private const int ModeResidual = 2;

    /// <summary>The quote-volume predictor: volume × (open + close) × f, rounded; 0 when that leaves the long range.</summary>
    /// <remarks>Encoder and decoder call this one method, so both sides compute the same double arithmetic.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Predict(long volume, long openPlusClose, double f)
    {
        var x = (double)volume * (double)openPlusClose * f;
        return Math.Abs(x) < 4e18 ? (long)Math.Round(x) : 0;
    }

    /// <summary>Writes <paramref name="values"/>; given <paramref name="volume"/>, <paramref name="open"/> and <paramref name="close"/> (same length), blocks may be residuals of the predictor.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Write(ReadOnlySpan<long> values, ByteSink sink, ReadOnlySpan<long> volume = default, ReadOnlySpan<long> open = default, ReadOnlySpan<long> close = default)
    {
        Span<long> scratch = stackalloc long[SegmentFormat.BlockSize];
        var predicted = !volume.IsEmpty;
        for (var start = 0; start < values.Length; start += SegmentFormat.BlockSize)
        {
            var n = Math.Min(SegmentFormat.BlockSize, values.Length - start);
            var block = values.Slice(start, n);
            unchecked
            {
                Bounds(block, out var rawMin, out var rawMax, out var dMin, out var dMax);

                var rawWidth = BitPacking.Width(rawMin, rawMax);
                var deltaWidth = BitPacking.Width(dMin, dMax);
                long rawBits = (long)n * rawWidth;
                long deltaBits = ((long)(n - 1) * deltaWidth) + (8 * Varint.Length(Varint.ZigZag(block[0])));
                var mode = deltaBits < rawBits ? ModeDelta : ModeRaw;
                var bestBits = Math.Min(rawBits, deltaBits);

                double f = 0;
                long resMin = 0;
                var resWidth = 0;
                if (predicted && TryFit(block, volume.Slice(start, n), open.Slice(start, n), close.Slice(start, n), scratch, out f, out resMin, out var resMax))
                {
                    resWidth = BitPacking.Width(resMin, resMax);
                    if (((long)n * resWidth) + 64 < bestBits)
                    {
                        mode = ModeResidual;
                    }
                }

                if (mode == ModeRaw)
                {
                    sink.WriteByte((byte)rawWidth);
                    sink.WriteVarint(Varint.ZigZag(rawMin));
                    BitPacking.Pack(block, rawMin, rawWidth, sink);
                }
                else if (mode == ModeDelta)
                {
                    sink.WriteByte((byte)((ModeDelta << 7) | deltaWidth));
                    sink.WriteVarint(Varint.ZigZag(block[0]));
                    sink.WriteVarint(Varint.ZigZag(dMin));
                    for (var i = 1; i < n; i++)
                    {
                        scratch[i - 1] = block[i] - block[i - 1];
                    }

                    BitPacking.Pack(scratch[..(n - 1)], dMin, deltaWidth, sink);
                }
                else
                {
                    // Header byte 0x80 | 0x40 | width would clash with delta widths, so residual blocks use 0xFF then the width.
                    sink.WriteByte(0xFF);
                    sink.WriteByte((byte)resWidth);
                    BinaryPrimitives.WriteDoubleLittleEndian(sink.Reserve(8), f);
                    sink.Advance(8);
                    sink.WriteVarint(Varint.ZigZag(resMin));
                    BitPacking.Pack(scratch[..n], resMin, resWidth, sink);
                }
            }
        }
    }

    /// <summary>
    /// Reads <paramref name="dest"/>.Length values from <paramref name="body"/> at <paramref name="pos"/> (advanced).
    /// Residual blocks need <paramref name="volume"/>, <paramref name="open"/> and <paramref name="close"/>, already decoded at their stored scales.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Read(ReadOnlySpan<byte> body, ref int pos, Span<long> dest, ReadOnlySpan<long> volume = default, ReadOnlySpan<long> open = default, ReadOnlySpan<long> close = default)
    {
        for (var start = 0; start < dest.Length; start += SegmentFormat.BlockSize)
        {
            var n = Math.Min(SegmentFormat.BlockSize, dest.Length - start);
            var block = dest.Slice(start, n);
            var header = ReadByte(body, ref pos);
            if (header == 0xFF)
            {
                if (volume.IsEmpty)
                {
                    throw new FormatException("segment has a residual block in a column without a predictor");
                }

                var width = CheckWidth(ReadByte(body, ref pos));
                if (body.Length - pos < 8)
                {
                    throw new FormatException("segment ends early");
                }

                var f = BinaryPrimitives.ReadDoubleLittleEndian(body.Slice(pos, 8));
                pos += 8;
                var min = Varint.UnZigZag(VarintSpans.Read(body, ref pos));
                Unpack(body, ref pos, width, min, block);
                var vol = volume.Slice(start, n);
                var o = open.Slice(start, n);
                var c = close.Slice(start, n);
                for (var i = 0; i < block.Length; i++)
                {
                    block[i] = unchecked(block[i] + Predict(vol[i], o[i] + c[i], f));
                }
            }
            else if ((header >> 7) == ModeDelta)
            {
                var width = CheckWidth(header & 0x7F);
                var first = Varint.UnZigZag(VarintSpans.Read(body, ref pos));
                var min = Varint.UnZigZag(VarintSpans.Read(body, ref pos));
                block[0] = first;
                var rest = block[1..];
                Unpack(body, ref pos, width, min, rest);
                var prev = first;
                for (var i = 0; i < rest.Length; i++)
                {
                    prev = unchecked(prev + rest[i]);
                    rest[i] = prev;
                }
            }
            else
            {
                var width = CheckWidth(header);
                var min = Varint.UnZigZag(VarintSpans.Read(body, ref pos));
                Unpack(body, ref pos, width, min, block);
            }
        }
    }

    /// <summary>The range of the values and of their successive differences (0, 0 for a single value).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Bounds(ReadOnlySpan<long> block, out long min, out long max, out long dMin, out long dMax)
    {
        min = max = block[0];
        dMin = dMax = block.Length > 1 ? unchecked(block[1] - block[0]) : 0;
        var i = 1;
        if (Vector256.IsHardwareAccelerated && block.Length > Vector256<long>.Count + 1)
        {
            var vMin = Vector256.Create(min);
            var vMax = vMin;
            var vdMin = Vector256.Create(dMin);
            var vdMax = vdMin;
            for (; i + Vector256<long>.Count <= block.Length; i += Vector256<long>.Count)
            {
                var v = Vector256.Create(block.Slice(i, Vector256<long>.Count));
                var d = v - Vector256.Create(block.Slice(i - 1, Vector256<long>.Count));
                vMin = Vector256.Min(vMin, v);
                vMax = Vector256.Max(vMax, v);
                vdMin = Vector256.Min(vdMin, d);
                vdMax = Vector256.Max(vdMax, d);
            }

            for (var k = 0; k < Vector256<long>.Count; k++)
            {
                min = Math.Min(min, vMin[k]);
                max = Math.Max(max, vMax[k]);
                dMin = Math.Min(dMin, vdMin[k]);
                dMax = Math.Max(dMax, vdMax[k]);
            }
        }

        for (; i < block.Length; i++)
        {
            var v = block[i];
            min = Math.Min(min, v);
            max = Math.Max(max, v);
            var d = unchecked(v - block[i - 1]);
            dMin = Math.Min(dMin, d);
            dMax = Math.Max(dMax, d);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryFit(ReadOnlySpan<long> block, ReadOnlySpan<long> volume, ReadOnlySpan<long> open, ReadOnlySpan<long> close, Span<long> residuals, out double f, out long min, out long max)
    {
        double sumQ = 0, sumP = 0;
        for (var i = 0; i < block.Length; i++)
        {
            sumQ += block[i];
            sumP += (double)volume[i] * unchecked(open[i] + close[i]);
        }

        f = sumQ / sumP;
        min = max = 0;
        if (!double.IsFinite(f) || f == 0)
        {
            return false;
        }

        for (var i = 0; i < block.Length; i++)
        {
            var r = unchecked(block[i] - Predict(volume[i], open[i] + close[i], f));
            residuals[i] = r;
            min = i == 0 ? r : Math.Min(min, r);
            max = i == 0 ? r : Math.Max(max, r);
        }

        return true;
    }

    private static void Unpack(ReadOnlySpan<byte> body, ref int pos, int width, long min, Span<long> dest)
    {
        var bytes = BitPacking.PackedBytes(dest.Length, width);
        if (bytes > body.Length - pos)
        {
            throw new FormatException("segment ends early");
        }

        BitPacking.Unpack(body.Slice(pos, bytes), width, min, dest, srcHasSlack: body.Length - pos - bytes >= 8);
        pos += bytes;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte ReadByte(ReadOnlySpan<byte> body, int pos) => (uint)pos < (uint)body.Length ? body[pos] : throw new FormatException("segment ends early");

    private static byte ReadByte(ReadOnlySpan<byte> body, ref int pos)
    {
        var b = ReadByte(body, pos);
        pos++;
        return b;
    }

    private static int CheckWidth(int width) => width <= 64 ? width : throw new FormatException($"segment block width {width} is out of range");
}
