using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gapless.Storage.Sqlite.Segments;

/// <summary>Zig-zag and LEB128 varint helpers shared by the segment encoder and decoder.</summary>
internal static class Varint
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    /// <summary>Bytes a varint of <paramref name="value"/> takes (1..10).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Length(ulong value) => ((63 - BitOperations.LeadingZeroCount(value | 1)) / 7) + 1;
}

/// <summary>A growable byte buffer the encoder writes into. Not thread-safe.</summary>
internal sealed class ByteSink
{
    private byte[] _buffer;

    public ByteSink(int capacity) => _buffer = new byte[Math.Max(capacity, 64)];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    public void Reset() => Length = 0;

    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[Length++] = value;
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(Length));
        Length += bytes.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteVarint(ulong value)
    {
        Ensure(10);
        var buffer = _buffer;
        var pos = Length;
        while (value >= 0x80)
        {
            buffer[pos++] = (byte)(value | 0x80);
            value >>= 7;
        }

        buffer[pos++] = (byte)value;
        Length = pos;
    }

    /// <summary>A span of at least <paramref name="bytes"/> writable bytes at the end; call <see cref="Advance"/> with what was used.</summary>
    public Span<byte> Reserve(int bytes)
    {
        Ensure(bytes);
        return _buffer.AsSpan(Length);
    }

    public void Advance(int bytes) => Length += bytes;

    /// <summary>Makes room for <paramref name="bytes"/> more bytes.</summary>
    public void Ensure(int bytes)
    {
        if (Length + bytes > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + bytes));
        }
    }
}

/// <summary>Reads what <see cref="ByteSink"/> wrote; throws <see cref="FormatException"/> on a truncated blob.</summary>
internal ref struct ByteSource
{
    private readonly ReadOnlySpan<byte> _data;
    private int _pos;

    public ByteSource(ReadOnlySpan<byte> data)
    {
        _data = data;
        _pos = 0;
    }

    public readonly int Position => _pos;

    public readonly int Remaining => _data.Length - _pos;

    public byte ReadByte()
    {
        if (_pos >= _data.Length)
        {
            throw new FormatException("segment ends early");
        }

        return _data[_pos++];
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0 || count > _data.Length - _pos)
        {
            throw new FormatException("segment ends early");
        }

        var slice = _data.Slice(_pos, count);
        _pos += count;
        return slice;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadVarint()
    {
        var data = _data;
        var pos = _pos;
        if ((uint)pos < (uint)data.Length)
        {
            ulong b = data[pos];
            if (b < 0x80)
            {
                _pos = pos + 1;
                return b;
            }
        }

        return ReadVarintSlow();
    }

    public int ReadLength() => checked((int)ReadVarint());

    /// <summary>Reads a <see cref="PackedStream"/> of <paramref name="dest"/>.Length values.</summary>
    public void ReadPacked(Span<long> dest, ReadOnlySpan<long> volume = default, ReadOnlySpan<long> open = default, ReadOnlySpan<long> close = default)
        => PackedStream.Read(_data, ref _pos, dest, volume, open, close);

    private ulong ReadVarintSlow()
    {
        ulong result = 0;
        var shift = 0;
        while (true)
        {
            if (_pos >= _data.Length || shift > 63)
            {
                throw new FormatException("segment holds a broken varint");
            }

            ulong b = _data[_pos++];
            result |= (b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }

            shift += 7;
        }
    }
}
