namespace Gapless.Storage.Sqlite.Segments;

/// <summary>
/// One column of a segment, ready to encode: the present values as mantissas at <see cref="EncodeScale"/>
/// (the smallest exact scale), or as decimals when some value does not fit a long mantissa.
/// </summary>
internal sealed class ExtractedColumn
{
    public ExtractedColumn(int capacity)
    {
        Mantissas = new long[capacity];
        PresentMap = new bool[capacity];
    }

    /// <summary>Mantissas of the present values, compacted (index = k-th present value).</summary>
    public long[] Mantissas { get; private set; }

    /// <summary>Per bar: is the value present. Meaningful when <see cref="Presence"/> is mixed.</summary>
    public bool[] PresentMap { get; private set; }

    public decimal[]? Decimals { get; set; }

    public int PresentCount { get; set; }

    public byte Presence { get; set; }

    public bool IsDecimal { get; set; }

    public int DisplayScale { get; set; }

    public int EncodeScale { get; set; }

    /// <summary>Per present value, its decimal scale (meaningful while extracting).</summary>
    public byte[] Scales { get; private set; } = [];

    public bool Fits { get; private set; }

    public bool SameScale { get; private set; }

    public void EnsureCapacity(int count)
    {
        if (Mantissas.Length < count)
        {
            Mantissas = new long[Math.Max(count, Mantissas.Length * 2)];
            PresentMap = new bool[Mantissas.Length];
        }

        if (Scales.Length < Mantissas.Length)
        {
            Scales = new byte[Mantissas.Length];
        }
    }

    /// <summary>Starts a one-pass extraction of <paramref name="count"/> bars (see <see cref="Add"/>).</summary>
    public void Begin(int count)
    {
        EnsureCapacity(count);
        IsDecimal = false;
        Decimals = null;
        PresentCount = 0;
        DisplayScale = 0;
        Fits = true;
        SameScale = true;
        PresentMap.AsSpan(0, count).Clear();
    }

    /// <summary>Ends a one-pass extraction: <paramref name="present"/> of <paramref name="bars"/> bars had values.</summary>
    public void SetExtracted(int bars, int present, int maxScale, bool sameScale, bool fits)
    {
        PresentCount = present;
        DisplayScale = maxScale;
        SameScale = sameScale;
        Fits = fits;
        Complete(bars);
    }

    /// <summary>Sets <see cref="Presence"/> once every bar was offered.</summary>
    public void Complete(int count)
        => Presence = PresentCount == 0 ? SegmentFormat.PresenceNone
            : PresentCount == count ? SegmentFormat.PresenceAll : SegmentFormat.PresenceMixed;
}
