namespace Gapless.Storage.Sqlite.Segments;

/// <summary>
/// Frame-wide decode buffers: open times and one mantissa array per column, shared by every segment of a read.
/// Segments decode into disjoint slices, so they may decode in parallel; a column's array is allocated the
/// first time a segment has values for it (vendors without VWAP never pay for one).
/// </summary>
internal sealed class DecodedColumns
{
    private readonly long[]?[] _columns = new long[]?[SegmentFormat.ColumnCount];
    private readonly Lock _gate = new();

    public DecodedColumns(int capacity)
    {
        Capacity = capacity;
        Times = capacity == 0 ? [] : GC.AllocateUninitializedArray<long>(capacity);
    }

    public int Capacity { get; }

    public long[] Times { get; }

    /// <summary>The column's array, or null when no segment had values for it.</summary>
    public long[]? Peek(int column) => Volatile.Read(ref _columns[column]);

    public long[] Column(int column)
    {
        var array = Volatile.Read(ref _columns[column]);
        if (array is not null)
        {
            return array;
        }

        lock (_gate)
        {
            return _columns[column] ??= GC.AllocateUninitializedArray<long>(Capacity);
        }
    }
}

/// <summary>What one column of one segment decoded to.</summary>
internal struct PartColumn
{
    public const byte Absent = 0;
    public const byte Scaled = 1;
    public const byte Decimal = 2;

    public byte State;

    /// <summary>The scale of the mantissas written to the frame buffer (the column's display scale).</summary>
    public int Scale;

    /// <summary>Per bar of the segment; null when every value is present (or the column is absent).</summary>
    public bool[]? Present;

    /// <summary>Per bar of the segment, when the values did not fit long mantissas.</summary>
    public decimal[]? Decimals;
}

/// <summary>One decoded segment's place in the frame buffers.</summary>
internal sealed class SegmentPart
{
    public SegmentPart(int offset, int count)
    {
        Offset = offset;
        Count = count;
    }

    /// <summary>Where the segment's first bar sits in the frame buffers.</summary>
    public int Offset { get; set; }

    public int Count { get; set; }

    /// <summary>Index, within the segment, of the first bar still in the frame (after clipping).</summary>
    public int LocalStart { get; set; }

    public PartColumn[] Columns { get; } = new PartColumn[SegmentFormat.ColumnCount];

    /// <summary>Bars the vendor closed early: (open time, close time).</summary>
    public List<KeyValuePair<long, long>>? CutShort { get; set; }
}
