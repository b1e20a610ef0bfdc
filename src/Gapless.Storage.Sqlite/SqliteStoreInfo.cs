namespace Gapless.Storage.Sqlite;

/// <summary>What a store file holds, for <c>gapless db info</c>.</summary>
/// <param name="Path">The database file.</param>
/// <param name="SchemaVersion">The schema version applied (migrations run on open).</param>
/// <param name="SeriesCount">Series known to the store.</param>
/// <param name="BarCount">Bars stored, all series.</param>
/// <param name="SegmentCount">Segments (one per series and time bucket) holding those bars.</param>
/// <param name="QuarantinedCount">Bars held in quarantine.</param>
/// <param name="FetchLogCount">Vendor calls recorded.</param>
/// <param name="RunCount">Runs (backtests) recorded, finished or not.</param>
/// <param name="FileSizeBytes">The database file plus its write-ahead log, in bytes.</param>
public sealed record SqliteStoreInfo(
    string Path,
    int SchemaVersion,
    long SeriesCount,
    long BarCount,
    long SegmentCount,
    long QuarantinedCount,
    long FetchLogCount,
    long RunCount,
    long FileSizeBytes);
