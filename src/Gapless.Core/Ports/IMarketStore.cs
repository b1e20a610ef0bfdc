using Gapless.Core.Model;

namespace Gapless.Core.Ports;

/// <summary>
/// The read side of a store: range queries and what is held. Backtests and read paths take only this.
/// Implementations are thread-safe.
/// </summary>
public interface IBarReader
{
    /// <summary>The ranges the vendor was asked for and fully answered, whether or not it had bars there.</summary>
    Task<RangeSet> GetCoverageAsync(Series series, CancellationToken cancellationToken = default);

    /// <summary>The stored bars with open time in <paramref name="range"/>, ascending. Never quarantined bars.</summary>
    Task<BarFrame> ReadAsync(Series series, TimeRange range, CancellationToken cancellationToken = default);

    /// <summary>Every stored series matching <paramref name="filter"/>, with coverage and counts.</summary>
    Task<IReadOnlyList<SeriesSummary>> ListSeriesAsync(SeriesFilter filter, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<QuarantinedBar>> ReadQuarantineAsync(Series series, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<FetchLogEntry>> ReadFetchLogAsync(Series series, CancellationToken cancellationToken = default);
}

/// <summary>
/// The write side: a chunk's bars, the coverage they prove, its quarantine and its fetch log commit in one
/// transaction, so a crash loses at most the chunks in flight. Commits are idempotent.
/// </summary>
public interface IMarketStore : IBarReader, IAsyncDisposable
{
    /// <exception cref="Errors.StoreException">The store is locked past its busy timeout, or cannot be written.</exception>
    Task<CommitResult> CommitAsync(ChunkCommit commit, CancellationToken cancellationToken = default);

    /// <summary>Records a failed chunk in the fetch log; coverage does not change, so the next run tries again.</summary>
    Task RecordFailureAsync(ChunkFailure failure, CancellationToken cancellationToken = default);
}
