using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
using System.Runtime.CompilerServices;
using Gapless.Core.Model;

namespace Gapless.Storage.Sqlite.Segments;

/// <summary>Decodes segment blobs (<see cref="SegmentFormat"/>) straight into <see cref="DecodedColumns"/> slices.</summary>
internal static class SegmentDecoder
{
    /// <summary>The bar count in a blob's header.</summary>
    public static int PeekCount(ReadOnlySpan<byte> blob)
    {
        var source = new ByteSource(blob);
        CheckVersion(source.ReadByte());
        source.ReadByte();
        return source.ReadLength();
    }

    /// <summary>Decodes <paramref name="blob"/> into the frame buffers at <paramref name="part"/>'s offset.</summary>
    /// <exception cref="FormatException">The blob is damaged or of an unknown version.</exception>
    public static void Decode(byte[] blob, DecodedColumns target, SegmentPart part)
    {
        var header = new ByteSource(blob);
        CheckVersion(header.ReadByte());
        var compression = (SegmentCompression)(header.ReadByte() & SegmentFormat.CompressionMask);
        var count = header.ReadLength();
        if (count != part.Count || part.Offset + count > target.Capacity)
        {
            throw new FormatException($"segment holds {count} bars, its row says {part.Count}");
        }

        if (compression == SegmentCompression.None)
        {
            DecodeBody(blob.AsSpan(header.Position), target, part);
            return;
        }

        var rawLength = header.ReadLength();
        var rented = ArrayPool<byte>.Shared.Rent(rawLength);
        try
        {
            Decompress(compression, blob, header.Position, rented.AsSpan(0, rawLength));
            DecodeBody(rented.AsSpan(0, rawLength), target, part);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DecodeBody(ReadOnlySpan<byte> body, DecodedColumns target, SegmentPart part)
    {
        var n = part.Count;
        if (n == 0)
        {
            return;
        }

        // Columns decode at their stored scales (the quote predictor works on those), then move to display scale.
        Span<int> stored = stackalloc int[SegmentFormat.ColumnCount];
        var source = new ByteSource(body);
        DecodeTimes(ref source, target.Times.AsSpan(part.Offset, n));
        var joint = DecodePrices(ref source, target, part, stored);
        DecodeColumn(ref source, target, part, SegmentFormat.Volume, optional: false, stored);
        var predicted = joint && part.Columns[SegmentFormat.Volume].State == PartColumn.Scaled;
        DecodeColumn(ref source, target, part, SegmentFormat.QuoteVolume, optional: true, stored, predicted);
        DecodeColumn(ref source, target, part, SegmentFormat.Trades, optional: true, stored);
        DecodeColumn(ref source, target, part, SegmentFormat.Vwap, optional: true, stored);
        DecodeCutShort(ref source, target.Times.AsSpan(part.Offset, n), part);
        if (source.Remaining != 0)
        {
            throw new FormatException("segment has trailing bytes");
        }

        for (var column = 0; column < SegmentFormat.ColumnCount; column++)
        {
            if (part.Columns[column].State == PartColumn.Scaled)
            {
                ToDisplayScale(target.Column(column).AsSpan(part.Offset, n), part.Columns[column].Scale, stored[column]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DecodeTimes(ref ByteSource source, Span<long> times)
    {
        var t = Varint.UnZigZag(source.ReadVarint());
        times[0] = t;
        var runs = source.ReadLength();
        var k = 1;
        for (var r = 0; r < runs; r++)
        {
            var delta = Varint.UnZigZag(source.ReadVarint());
            var length = source.ReadLength();
            if (length > times.Length - k)
            {
                throw new FormatException("segment time runs exceed its bar count");
            }

            for (var j = 0; j < length; j++)
            {
                t += delta;
                times[k++] = t;
            }
        }

        if (k != times.Length)
        {
            throw new FormatException("segment time runs fall short of its bar count");
        }
    }

    /// <summary>Decodes the price group; true when it was stored jointly (one scale, relative to close).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool DecodePrices(ref ByteSource source, DecodedColumns target, SegmentPart part, scoped Span<int> stored)
    {
        var mode = source.ReadByte();
        if (mode == SegmentFormat.PricesSeparate)
        {
            for (var column = SegmentFormat.Open; column <= SegmentFormat.Close; column++)
            {
                DecodeColumn(ref source, target, part, column, optional: false, stored);
            }

            return false;
        }

        if (mode != SegmentFormat.PricesJoint)
        {
            throw new FormatException($"unknown price mode {mode}");
        }

        int scale = CheckScale(source.ReadByte());
        int os = CheckScale(source.ReadByte()), hs = CheckScale(source.ReadByte()), ls = CheckScale(source.ReadByte()), cs = CheckScale(source.ReadByte());
        var n = part.Count;
        var o = target.Column(SegmentFormat.Open).AsSpan(part.Offset, n);
        var h = target.Column(SegmentFormat.High).AsSpan(part.Offset, n);
        var l = target.Column(SegmentFormat.Low).AsSpan(part.Offset, n);
        var c = target.Column(SegmentFormat.Close).AsSpan(part.Offset, n);
        source.ReadPacked(c);
        source.ReadPacked(o);
        source.ReadPacked(h);
        source.ReadPacked(l);
        unchecked
        {
            var prev = c[0];
            for (var i = 0; i < n; i++)
            {
                var cv = c[i];
                var ov = o[i] + prev;
                o[i] = ov;
                h[i] += Math.Max(ov, cv);
                l[i] = Math.Min(ov, cv) - l[i];
                prev = cv;
            }
        }

        SetScaled(part, SegmentFormat.Open, os, scale, stored);
        SetScaled(part, SegmentFormat.High, hs, scale, stored);
        SetScaled(part, SegmentFormat.Low, ls, scale, stored);
        SetScaled(part, SegmentFormat.Close, cs, scale, stored);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DecodeColumn(ref ByteSource source, DecodedColumns target, SegmentPart part, int column, bool optional, scoped Span<int> stored, bool predicted = false)
    {
        var n = part.Count;
        bool[]? present = null;
        var presentCount = n;
        if (optional)
        {
            var presence = source.ReadByte();
            if (presence == SegmentFormat.PresenceNone)
            {
                part.Columns[column] = new PartColumn { State = PartColumn.Absent };
                return;
            }

            if (presence == SegmentFormat.PresenceMixed)
            {
                (present, presentCount) = ReadBitmap(source.ReadBytes((n + 7) / 8), n);
            }
            else if (presence != SegmentFormat.PresenceAll)
            {
                throw new FormatException($"unknown presence {presence}");
            }
        }

        var kind = source.ReadByte();
        int display = CheckScale(source.ReadByte()), encoded = CheckScale(source.ReadByte());
        if (kind == SegmentFormat.KindDecimal)
        {
            var bytes = source.ReadBytes(source.ReadLength());
            part.Columns[column] = new PartColumn { State = PartColumn.Decimal, Present = present, Decimals = ReadDecimals(bytes, present, n, presentCount) };
            return;
        }

        if (kind != SegmentFormat.KindPacked)
        {
            throw new FormatException($"unknown column kind {kind}");
        }

        var dest = target.Column(column).AsSpan(part.Offset, n);
        var compact = dest[..presentCount];
        if (predicted && present is null)
        {
            // Quote volume: blocks may be residuals of volume × (open + close), all at their stored scales.
            source.ReadPacked(
                compact,
                target.Column(SegmentFormat.Volume).AsSpan(part.Offset, n),
                target.Column(SegmentFormat.Open).AsSpan(part.Offset, n),
                target.Column(SegmentFormat.Close).AsSpan(part.Offset, n));
        }
        else
        {
            source.ReadPacked(compact);
        }

        if (present is not null)
        {
            // Spread the compacted values to their bars, back to front so nothing is overwritten early.
            var k = presentCount - 1;
            for (var i = n - 1; i >= 0; i--)
            {
                dest[i] = present[i] ? dest[k--] : 0;
            }
        }

        SetScaled(part, column, display, encoded, stored);
        part.Columns[column].Present = present;
    }

    private static void DecodeCutShort(ref ByteSource source, ReadOnlySpan<long> times, SegmentPart part)
    {
        var n = source.ReadLength();
        if (n == 0)
        {
            return;
        }

        var list = new List<KeyValuePair<long, long>>(n);
        var index = 0;
        for (var i = 0; i < n; i++)
        {
            index += source.ReadLength();
            if ((uint)index >= (uint)times.Length)
            {
                throw new FormatException("segment cut-short entry points past its bars");
            }

            var open = times[index];
            list.Add(new(open, unchecked(open + Varint.UnZigZag(source.ReadVarint()))));
        }

        part.CutShort = list;
    }

    private static void SetScaled(SegmentPart part, int column, int display, int encoded, scoped Span<int> stored)
    {
        part.Columns[column] = new PartColumn { State = PartColumn.Scaled, Scale = display };
        stored[column] = encoded;
    }

    /// <summary>Mantissas stored at <paramref name="encoded"/> scale, brought to <paramref name="display"/> (exact either way: dividing only removes zeros the encoder added).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ToDisplayScale(Span<long> values, int display, int encoded)
    {
        if (display > encoded)
        {
            var factor = DecimalScaling.Pow10(display - encoded);
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = unchecked(values[i] * factor);
            }
        }
        else if (display < encoded)
        {
            var divisor = DecimalScaling.Pow10(encoded - display);
            for (var i = 0; i < values.Length; i++)
            {
                values[i] /= divisor;
            }
        }
    }

    private static int CheckScale(int scale)
        => scale <= SegmentFormat.MaxScaledScale ? scale : throw new FormatException($"segment scale {scale} is out of range");

    private static (bool[] Present, int Count) ReadBitmap(ReadOnlySpan<byte> bitmap, int n)
    {
        var present = new bool[n];
        var count = 0;
        for (var i = 0; i < n; i++)
        {
            present[i] = (bitmap[i >> 3] & (1 << (i & 7))) != 0;
        }

        foreach (var b in bitmap)
        {
            count += BitOperations.PopCount(b);
        }

        return (present, count);
    }

    private static decimal[] ReadDecimals(ReadOnlySpan<byte> bytes, bool[]? present, int n, int presentCount)
    {
        if (bytes.Length != presentCount * 16)
        {
            throw new FormatException("segment decimal column has the wrong length");
        }

        var values = new decimal[n];
        Span<int> bits = stackalloc int[4];
        var k = 0;
        for (var i = 0; i < n; i++)
        {
            if (present is not null && !present[i])
            {
                continue;
            }

            for (var b = 0; b < 4; b++)
            {
                bits[b] = BinaryPrimitives.ReadInt32LittleEndian(bytes.Slice((k * 16) + (b * 4), 4));
            }

            try
            {
                values[i] = new decimal(bits);
            }
            catch (ArgumentException e)
            {
                throw new FormatException("segment holds an invalid decimal", e);
            }

            k++;
        }

        return values;
    }

    private static void Decompress(SegmentCompression compression, byte[] blob, int offset, Span<byte> destination)
    {
        if (compression == SegmentCompression.Brotli)
        {
            if (!BrotliDecoder.TryDecompress(blob.AsSpan(offset), destination, out var written) || written != destination.Length)
            {
                throw new FormatException("segment body does not decompress");
            }

            return;
        }

        if (compression != SegmentCompression.Deflate)
        {
            throw new FormatException($"unknown segment compression {(int)compression}");
        }

        using var input = new MemoryStream(blob, offset, blob.Length - offset, writable: false);
        using var deflate = new DeflateStream(input, CompressionMode.Decompress);
        deflate.ReadExactly(destination);
    }

    private static void CheckVersion(byte version)
    {
        if (version != SegmentFormat.Version)
        {
            throw new FormatException($"segment codec version {version} is not supported (this build reads {SegmentFormat.Version})");
        }
    }
}
