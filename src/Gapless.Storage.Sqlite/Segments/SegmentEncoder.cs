using System.IO.Compression;
using System.Runtime.CompilerServices;
using Gapless.Core.Model;

namespace Gapless.Storage.Sqlite.Segments;

/// <summary>
/// Encodes bars (strictly ascending by open time) into one segment blob; see <see cref="SegmentFormat"/>.
/// Reuses its scratch buffers, so one instance per thread: use <see cref="Encode"/>.
/// </summary>
internal sealed class SegmentEncoder
{
    // Compression is kept only when it saves at least this share of the body.
    private const double MinCompressionGain = 0.08;

    [ThreadStatic]
    private static SegmentEncoder? _perThread;

    private readonly ExtractedColumn[] _columns = new ExtractedColumn[SegmentFormat.ColumnCount];
    private readonly ByteSink _body = new(16 * 1024);
    private readonly ByteSink _stream = new(4 * 1024);
    private readonly ByteSink _output = new(16 * 1024);
    private long[] _scratch = new long[2048];
    private long[] _times = new long[2048];
    private bool _pricesJoint;

    private SegmentEncoder()
    {
        for (var i = 0; i < _columns.Length; i++)
        {
            _columns[i] = new ExtractedColumn(2048);
        }
    }

    public static byte[] Encode(ReadOnlySpan<Bar> bars, SegmentCompression compression, int brotliQuality = 4)
        => (_perThread ??= new SegmentEncoder()).EncodeCore(bars, compression, brotliQuality);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private byte[] EncodeCore(ReadOnlySpan<Bar> bars, SegmentCompression compression, int brotliQuality)
    {
        _body.Reset();
        _pricesJoint = false;
        if (bars.Length > 0)
        {
            if (_times.Length < bars.Length)
            {
                _times = new long[Math.Max(bars.Length, _times.Length * 2)];
            }

            ColumnExtractor.ExtractAll(bars, _columns, _times, out var cutShort);
            WriteTimes(_times.AsSpan(0, bars.Length));
            WritePrices(bars.Length);
            WriteColumn(_columns[SegmentFormat.Volume], bars.Length, optional: false);
            WriteColumn(_columns[SegmentFormat.QuoteVolume], bars.Length, optional: true, _columns[SegmentFormat.Volume]);
            WriteColumn(_columns[SegmentFormat.Trades], bars.Length, optional: true);
            WriteColumn(_columns[SegmentFormat.Vwap], bars.Length, optional: true);
            WriteCutShort(bars, cutShort);
        }

        _output.Reset();
        _output.WriteByte(SegmentFormat.Version);
        var compressed = compression == SegmentCompression.None || _body.Length < 64 ? null : Compress(compression, brotliQuality);
        if (compressed is { } c && c.Length <= _body.Length * (1 - MinCompressionGain))
        {
            _output.WriteByte((byte)compression);
            _output.WriteVarint((ulong)bars.Length);
            _output.WriteVarint((ulong)_body.Length);
            _output.WriteBytes(c);
        }
        else
        {
            _output.WriteByte((byte)SegmentCompression.None);
            _output.WriteVarint((ulong)bars.Length);
            _output.WriteBytes(_body.Written);
        }

        return _output.Written.ToArray();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteTimes(ReadOnlySpan<long> times)
    {
        // Runs of equal deltas: a regular series is one run, an irregular one pays per change.
        _stream.Reset();
        var runs = 0;
        var i = 1;
        while (i < times.Length)
        {
            var delta = times[i] - times[i - 1];
            var start = i;
            while (i + 1 < times.Length && times[i + 1] - times[i] == delta)
            {
                i++;
            }

            i++;
            _stream.WriteVarint(Varint.ZigZag(delta));
            _stream.WriteVarint((ulong)(i - start));
            runs++;
        }

        _body.WriteVarint(Varint.ZigZag(times[0]));
        _body.WriteVarint((ulong)runs);
        _body.WriteBytes(_stream.Written);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WritePrices(int count)
    {
        var o = _columns[SegmentFormat.Open];
        var h = _columns[SegmentFormat.High];
        var l = _columns[SegmentFormat.Low];
        var c = _columns[SegmentFormat.Close];
        var scale = Math.Max(Math.Max(o.EncodeScale, h.EncodeScale), Math.Max(l.EncodeScale, c.EncodeScale));
        if (o.IsDecimal || h.IsDecimal || l.IsDecimal || c.IsDecimal
            || !FitsAt(o, scale, count) || !FitsAt(h, scale, count) || !FitsAt(l, scale, count) || !FitsAt(c, scale, count))
        {
            _body.WriteByte(SegmentFormat.PricesSeparate);
            WriteColumn(o, count, optional: false);
            WriteColumn(h, count, optional: false);
            WriteColumn(l, count, optional: false);
            WriteColumn(c, count, optional: false);
            return;
        }

        Upscale(o, scale, count);
        Upscale(h, scale, count);
        Upscale(l, scale, count);
        Upscale(c, scale, count);
        _body.WriteByte(SegmentFormat.PricesJoint);
        _body.WriteByte((byte)scale);
        _body.WriteByte((byte)o.DisplayScale);
        _body.WriteByte((byte)h.DisplayScale);
        _body.WriteByte((byte)l.DisplayScale);
        _body.WriteByte((byte)c.DisplayScale);

        var om = o.Mantissas.AsSpan(0, count);
        var hm = h.Mantissas.AsSpan(0, count);
        var lm = l.Mantissas.AsSpan(0, count);
        var cm = c.Mantissas.AsSpan(0, count);
        var scratch = Scratch(count);

        // Close as it is (its blocks pick deltas), the rest relative to it. Wrapping arithmetic: every
        // difference round-trips exactly, even for values near the long limits.
        PackedStream.Write(cm, _body);
        unchecked
        {
            for (var i = 0; i < count; i++)
            {
                scratch[i] = om[i] - cm[i == 0 ? 0 : i - 1];
            }

            PackedStream.Write(scratch, _body);
            for (var i = 0; i < count; i++)
            {
                scratch[i] = hm[i] - Math.Max(om[i], cm[i]);
            }

            PackedStream.Write(scratch, _body);
            for (var i = 0; i < count; i++)
            {
                scratch[i] = Math.Min(om[i], cm[i]) - lm[i];
            }

            PackedStream.Write(scratch, _body);
        }

        _pricesJoint = true;
    }

    /// <summary>Writes a column; a <paramref name="predictor"/> (volume) lets quote-volume blocks be stored as residuals.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteColumn(ExtractedColumn column, int count, bool optional, ExtractedColumn? predictor = null)
    {
        if (optional)
        {
            _body.WriteByte(column.Presence);
            if (column.Presence == SegmentFormat.PresenceNone)
            {
                return;
            }

            if (column.Presence == SegmentFormat.PresenceMixed)
            {
                WriteBitmap(column.PresentMap.AsSpan(0, count));
            }
        }

        var n = column.PresentCount;
        if (column.IsDecimal)
        {
            _body.WriteByte(SegmentFormat.KindDecimal);
            _body.WriteByte(0);
            _body.WriteByte(0);
            _body.WriteVarint((ulong)(n * 16));
            Span<int> bits = stackalloc int[4];
            Span<byte> bytes = stackalloc byte[16];
            foreach (var d in column.Decimals.AsSpan(0, n))
            {
                decimal.GetBits(d, bits);
                for (var k = 0; k < 4; k++)
                {
                    System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes[(k * 4)..], bits[k]);
                }

                _body.WriteBytes(bytes);
            }

            return;
        }

        _body.WriteByte(SegmentFormat.KindPacked);
        _body.WriteByte((byte)column.DisplayScale);
        _body.WriteByte((byte)column.EncodeScale);
        var values = column.Mantissas.AsSpan(0, n);
        if (predictor is { } p && column.Presence == SegmentFormat.PresenceAll && _pricesJoint && !p.IsDecimal)
        {
            PackedStream.Write(
                values,
                _body,
                p.Mantissas.AsSpan(0, n),
                _columns[SegmentFormat.Open].Mantissas.AsSpan(0, n),
                _columns[SegmentFormat.Close].Mantissas.AsSpan(0, n));
            return;
        }

        PackedStream.Write(values, _body);
    }

    private void WriteCutShort(ReadOnlySpan<Bar> bars, int count)
    {
        if (count == 0)
        {
            _body.WriteVarint(0);
            return;
        }

        _stream.Reset();
        var n = 0;
        var last = 0;
        for (var i = 0; i < bars.Length; i++)
        {
            if (bars[i].CutShortAtMs is { } cut)
            {
                _stream.WriteVarint((ulong)(i - last));
                _stream.WriteVarint(Varint.ZigZag(unchecked(cut - bars[i].OpenTimeMs)));
                last = i;
                n++;
            }
        }

        _body.WriteVarint((ulong)n);
        _body.WriteBytes(_stream.Written);
    }

    private void WriteBitmap(ReadOnlySpan<bool> present)
    {
        for (var i = 0; i < present.Length; i += 8)
        {
            byte b = 0;
            for (var k = 0; k < 8 && i + k < present.Length; k++)
            {
                if (present[i + k])
                {
                    b |= (byte)(1 << k);
                }
            }

            _body.WriteByte(b);
        }
    }

    private Span<long> Scratch(int count)
    {
        if (_scratch.Length < count)
        {
            _scratch = new long[Math.Max(count, _scratch.Length * 2)];
        }

        return _scratch.AsSpan(0, count);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool FitsAt(ExtractedColumn column, int scale, int count)
    {
        if (column.IsDecimal || scale == column.EncodeScale)
        {
            return !column.IsDecimal;
        }

        var limit = long.MaxValue / DecimalScaling.Pow10(scale - column.EncodeScale);
        foreach (var m in column.Mantissas.AsSpan(0, count))
        {
            if (Math.Abs(m) > limit)
            {
                return false;
            }
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Upscale(ExtractedColumn column, int scale, int count)
    {
        if (scale == column.EncodeScale)
        {
            return;
        }

        var factor = DecimalScaling.Pow10(scale - column.EncodeScale);
        var m = column.Mantissas.AsSpan(0, count);
        for (var i = 0; i < m.Length; i++)
        {
            m[i] *= factor;
        }

        column.EncodeScale = scale;
    }

    private byte[] Compress(SegmentCompression compression, int brotliQuality)
    {
        var body = _body.Written;
        if (compression == SegmentCompression.Brotli)
        {
            var buffer = new byte[BrotliEncoder.GetMaxCompressedLength(body.Length)];
            return BrotliEncoder.TryCompress(body, buffer, out var written, brotliQuality, 22)
                ? buffer[..written]
                : body.ToArray();
        }

        using var ms = new MemoryStream(body.Length);
        using (var deflate = new DeflateStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        {
            deflate.Write(body);
        }

        return ms.ToArray();
    }
}
