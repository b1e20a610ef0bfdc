using Gapless.Storage.Sqlite.Segments;

namespace Gapless.Storage.Sqlite;

/// <summary>Settings of a <see cref="SqliteMarketStore"/>. Every property has a documented default.</summary>
public sealed record SqliteStoreOptions
{
    /// <summary>The default settings.</summary>
    public static readonly SqliteStoreOptions Default = new();

    /// <summary>
    /// How long a writer waits for another process's write lock before failing with
    /// <see cref="Core.Errors.StoreException.IsLocked"/>. Default 10 s. Below one second the wait may run to about
    /// one second: the driver re-checks in whole seconds.
    /// </summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The general compressor applied over each segment's columnar encoding, kept per segment only when it saves
    /// at least 8%. Default <see cref="SegmentCompression.None"/>: the columnar encoding alone is several times
    /// smaller than rows and reads fastest.
    /// </summary>
    public SegmentCompression Compression { get; init; } = SegmentCompression.None;

    /// <summary>The clock used to stamp schema migrations. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Reads of at least this many bars decode their segments on all cores. Default 100,000.</summary>
    public int ParallelDecodeThreshold { get; init; } = 100_000;
}
