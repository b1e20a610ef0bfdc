namespace Gapless.Storage.Sqlite.Segments;

/// <summary>
/// The segment blob layout, version 2. A segment is one part of one series' bars in one time bucket (a bucket may
/// hold several disjoint parts), stored column by column:
/// <code>
/// header : version byte, flags byte (compression), varint count, [varint raw body length when compressed]
/// body   : times | price group (open, high, low, close) | volume | quote volume | trades | vwap | cut-short list
/// times  : zigzag first open time, varint run count, runs of (zigzag delta, varint length): a regular day of
///          1m bars is one run, so time costs ~0 bytes per bar
/// column : [presence byte + bitmap, optional columns only] kind byte, display scale, encode scale, then a
///          packed stream (<see cref="PackedStream"/>) of the mantissas present, or varint length + 16-byte decimals
/// stream : blocks of <see cref="BlockSize"/> values, each frame-of-reference bit-packed as raw values, as
///          deltas, or (quote volume only) as residuals from volume × (open + close) × a per-block factor
/// prices : mode byte; joint mode shares one encode scale (byte), then the four display scales, then four
///          streams: close, open − previous close, high − max(open, close), low as min(open, close) − low
/// </code>
/// Values are stored as mantissas at the smallest exact scale; the column's display scale is kept so
/// "42000.01000000" (scale 8) comes back with its trailing zeros.
/// </summary>
internal static class SegmentFormat
{
    public const byte Version = 2;

    /// <summary>Values per bit-packed block: small enough for tight widths, big enough to amortise block headers.</summary>
    public const int BlockSize = 128;

    public const byte CompressionMask = 0x03;

    public const byte KindPacked = 1;
    public const byte KindDecimal = 2;

    public const byte PresenceNone = 0;
    public const byte PresenceAll = 1;
    public const byte PresenceMixed = 2;

    public const byte PricesJoint = 0;
    public const byte PricesSeparate = 1;

    /// <summary>Column slots, in the order the body stores them and the sink holds them.</summary>
    public const int Open = 0;
    public const int High = 1;
    public const int Low = 2;
    public const int Close = 3;
    public const int Volume = 4;
    public const int QuoteVolume = 5;
    public const int Trades = 6;
    public const int Vwap = 7;
    public const int ColumnCount = 8;

    /// <summary>The largest scale a mantissa column keeps (10^18 is the largest power of ten in a long).</summary>
    public const int MaxScaledScale = 18;
}

/// <summary>How a segment body is compressed after the columnar encoding.</summary>
public enum SegmentCompression
{
    /// <summary>Columnar varints only: fastest to read.</summary>
    None = 0,

    /// <summary>Deflate (BCL, zlib-ng) over the columnar body, kept only when it saves space.</summary>
    Deflate = 1,

    /// <summary>Brotli (BCL) over the columnar body, kept only when it saves space.</summary>
    Brotli = 2,
}
