namespace Gapless.Storage.Postgres;

/// <summary>What a PostgreSQL store holds, for <c>gapless db info</c>.</summary>
/// <param name="Kind">Always <c>postgres</c>.</param>
/// <param name="Location">The database as <c>postgres://user@host:port/database</c>, never with the password.</param>
/// <param name="SchemaVersion">The schema version applied (migrations run on open).</param>
/// <param name="ServerVersion">The server's version, e.g. <c>15.18</c>.</param>
/// <param name="SeriesCount">Series known to the store.</param>
/// <param name="BarCount">Bars stored, all series (kept per series by every commit, so exact without a scan).</param>
/// <param name="QuarantinedCount">Bars held in quarantine.</param>
/// <param name="FetchLogCount">Vendor calls recorded.</param>
/// <param name="RunCount">Runs (backtests) recorded, finished or not.</param>
/// <param name="SizeBytes">Disk used by the store's tables, bar partitions and indexes included, in bytes.</param>
/// <param name="Partitions">The partitions of <c>bars</c>, oldest first.</param>
public sealed record PostgresStoreInfo(
    string Kind,
    string Location,
    int SchemaVersion,
    string ServerVersion,
    long SeriesCount,
    long BarCount,
    long QuarantinedCount,
    long FetchLogCount,
    long RunCount,
    long SizeBytes,
    IReadOnlyList<PostgresPartitionInfo> Partitions);

/// <summary>One partition of the <c>bars</c> table.</summary>
/// <param name="Name">The table name, <c>bars_YYYY_MM</c> for the partitions Gapless creates.</param>
/// <param name="From">First instant held (inclusive, UTC); null for a partition Gapless did not create.</param>
/// <param name="To">End of the range held (exclusive, UTC); null for a partition Gapless did not create.</param>
/// <param name="SizeBytes">Disk used by the partition and its index, in bytes.</param>
/// <param name="EstimatedRows">The planner's row estimate (exact after <c>ANALYZE</c>); null before the first analyze.</param>
public sealed record PostgresPartitionInfo(string Name, DateTimeOffset? From, DateTimeOffset? To, long SizeBytes, long? EstimatedRows);
