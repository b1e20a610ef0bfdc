using System.Buffers;

namespace Gapless.Providers.Csv;

/// <summary>
/// Reads a stream in large blocks and hands out runs of whole lines as UTF-8 bytes, so rows are parsed from spans
/// with no string per line. A line longer than the buffer grows it. Not thread-safe.
/// </summary>
internal sealed class CsvLines(Stream stream) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
    private int _start;
    private int _end;
    private bool _eof;

    /// <summary>
    /// The next run of whole lines (the last one may lack its newline at the end of the stream); empty when the stream
    /// is done. Valid until the next call.
    /// </summary>
    public async ValueTask<ReadOnlyMemory<byte>> NextAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        while (true)
        {
            if (_eof)
            {
                _start = _end;
                return _buffer.AsMemory(0, _end);
            }

            if (_end == _buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
                Buffer.BlockCopy(_buffer, 0, larger, 0, _end);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }

            var n = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                _eof = true;
                continue;
            }

            var newline = _buffer.AsSpan(_end, n).LastIndexOf((byte)'\n');
            _end += n;
            if (newline >= 0)
            {
                _start = _end - n + newline + 1;
                return _buffer.AsMemory(0, _start);
            }
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
