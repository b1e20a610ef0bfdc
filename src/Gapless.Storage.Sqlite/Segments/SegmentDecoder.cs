using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
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

    private static void DecodeBody(ReadOnlySpan<byte> body, DecodedColumns target, SegmentPart part)
    {
        var n = part.Count;
        if (n == 0)
        {
            return;
        }

        var source = new ByteSource(body);
        DecodeTimes(ref source, target.Times.AsSpan(part.Offset, n));
        DecodePrices(ref source, target, part);
        DecodeColumn(ref source, target, part, SegmentFormat.Volume, optional: false);
        DecodeColumn(ref source, target, part, SegmentFormat.QuoteVolume, optional: true);
        DecodeColumn(ref source, target, part, SegmentFormat.Trades, optional: true);
        DecodeColumn(ref source, target, part, SegmentFormat.Vwap, optional: true);
        DecodeCutShort(ref source, target.Times.AsSpan(part.Offset, n), part);
        if (source.Remaining != 0)
        {
            throw new FormatException("segment has trailing bytes");
        }
    }

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

    private static void DecodePrices(ref ByteSource source, DecodedColumns target, SegmentPart part)
    {
        var mode = source.ReadByte();
        if (mode == SegmentFormat.PricesSeparate)
        {
            for (var column = SegmentFormat.Open; column <= SegmentFormat.Close; column++)
            {
                DecodeColumn(ref source, target, part, column, optional: false);
            }

            return;
        }

        if (mode != SegmentFormat.PricesJoint)
        {
            throw new FormatException($"unknown price mode {mode}");
        }

        int scale = source.ReadByte();
        int os = source.ReadByte(), hs = source.ReadByte(), ls = source.ReadByte(), cs = source.ReadByte();
        var cSrc = source.ReadBytes(source.ReadLength());
        var oSrc = source.ReadBytes(source.ReadLength());
        var hSrc = source.ReadBytes(source.ReadLength());
        var lSrc = source.ReadBytes(source.ReadLength());
        var n = part.Count;
        var o = target.Column(SegmentFormat.Open).AsSpan(part.Offset, n);
        var h = target.Column(SegmentFormat.High).AsSpan(part.Offset, n);
        var l = target.Column(SegmentFormat.Low).AsSpan(part.Offset, n);
        var c = target.Column(SegmentFormat.Close).AsSpan(part.Offset, n);
        long fo = Up(os, scale), fh = Up(hs, scale), fl = Up(ls, scale), fc = Up(cs, scale);
        int cp = 0, op = 0, hp = 0, lp = 0;
        long prev = 0;
        unchecked
        {
            for (var i = 0; i < n; i++)
            {
                var cv = prev + Varint.UnZigZag(VarintSpans.Read(cSrc, ref cp));
                var ov = (i == 0 ? cv : prev) + Varint.UnZigZag(VarintSpans.Read(oSrc, ref op));
                var hv = Math.Max(ov, cv) + Varint.UnZigZag(VarintSpans.Read(hSrc, ref hp));
                var lv = Math.Min(ov, cv) - Varint.UnZigZag(VarintSpans.Read(lSrc, ref lp));
                prev = cv;
                c[i] = cv * fc;
                o[i] = ov * fo;
                h[i] = hv * fh;
                l[i] = lv * fl;
            }
        }

        VarintSpans.CheckConsumed(cSrc, cp);
        VarintSpans.CheckConsumed(oSrc, op);
        VarintSpans.CheckConsumed(hSrc, hp);
        VarintSpans.CheckConsumed(lSrc, lp);
        SetScaled(part, SegmentFormat.Open, o, os, scale);
        SetScaled(part, SegmentFormat.High, h, hs, scale);
        SetScaled(part, SegmentFormat.Low, l, ls, scale);
        SetScaled(part, SegmentFormat.Close, c, cs, scale);
    }

    private static void DecodeColumn(ref ByteSource source, DecodedColumns target, SegmentPart part, int column, bool optional)
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
        int display = source.ReadByte(), encoded = source.ReadByte();
        var bytes = source.ReadBytes(source.ReadLength());
        if (kind == SegmentFormat.KindDecimal)
        {
            part.Columns[column] = new PartColumn { State = PartColumn.Decimal, Present = present, Decimals = ReadDecimals(bytes, present, n, presentCount) };
            return;
        }

        var dest = target.Column(column).AsSpan(part.Offset, n);
        var compact = dest[..presentCount];
        var factor = Up(display, encoded);
        if (kind == SegmentFormat.KindRaw)
        {
            VarintSpans.ReadRaw(bytes, compact, factor);
        }
        else if (kind == SegmentFormat.KindDelta)
        {
            VarintSpans.ReadDelta(bytes, compact, factor);
        }
        else
        {
            throw new FormatException($"unknown column kind {kind}");
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

        SetScaled(part, column, dest, display, encoded);
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

    /// <summary>Mantissas decoded at the encode scale were multiplied up to display; when display is the smaller, divide down (exact).</summary>
    private static void SetScaled(SegmentPart part, int column, Span<long> values, int display, int encoded)
    {
        if (display < encoded)
        {
            var divisor = DecimalScaling.Pow10(encoded - display);
            for (var i = 0; i < values.Length; i++)
            {
                values[i] /= divisor;
            }
        }

        part.Columns[column] = new PartColumn { State = PartColumn.Scaled, Scale = display };
    }

    private static long Up(int display, int encoded)
    {
        if (display > SegmentFormat.MaxScaledScale || encoded > SegmentFormat.MaxScaledScale)
        {
            throw new FormatException($"segment scale {Math.Max(display, encoded)} is out of range");
        }

        return display >= encoded ? DecimalScaling.Pow10(display - encoded) : 1;
    }

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
