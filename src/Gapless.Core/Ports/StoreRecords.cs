using Gapless.Core.Model;

namespace Gapless.Core.Ports;

/// <summary>
/// What one fetched chunk adds to the store, committed in one transaction.
/// </summary>
/// <param name="Series">The series.</param>
/// <param name="Chunk">The range asked of the vendor.</param>
/// <param name="Covered">The part of <paramref name="Chunk"/> the vendor fully answered, now coverage (never past the finalization horizon).</param>
/// <param name="Bars">Validated bars, ascending, every one inside <paramref name="Covered"/>.</param>
/// <param name="Quarantined">Bars the validator rejected, with reasons.</param>
/// <param name="Calls">The vendor requests made for the chunk.</param>
public sealed record ChunkCommit(
    Series Series,
    TimeRange Chunk,
    TimeRange Covered,
    IReadOnlyList<Bar> Bars,
    IReadOnlyList<QuarantinedBar> Quarantined,
    IReadOnlyList<VendorCall> Calls);

/// <summary>A chunk the vendor did not answer (after retries): only its calls and error are recorded; coverage is unchanged.</summary>
public sealed record ChunkFailure(Series Series, TimeRange Chunk, IReadOnlyList<VendorCall> Calls, string Error);

/// <summary>The outcome of a commit.</summary>
/// <param name="BarsStored">Bars newly stored (bars already held at the same open time are kept, not replaced).</param>
public sealed record CommitResult(int BarsStored);

/// <summary>A selector over series; null fields match everything.</summary>
public sealed record SeriesFilter(string? Provider = null, string? Symbol = null, Timeframe? Timeframe = null)
{
    public static readonly SeriesFilter All = new();

    public bool Matches(Series series)
    {
        ArgumentNullException.ThrowIfNull(series);
        return (Provider is null || Provider == series.Provider)
            && (Symbol is null || Symbol == series.Symbol)
            && (Timeframe is null || Timeframe == series.Timeframe);
    }
}

/// <summary>What the store holds of one series.</summary>
public sealed record SeriesSummary(
    Series Series,
    RangeSet Coverage,
    long BarCount,
    long? FirstBarMs,
    long? LastBarMs,
    int QuarantinedCount);

/// <summary>One row of the fetch log: a vendor call and the chunk it served.</summary>
public sealed record FetchLogEntry(Series Series, TimeRange Chunk, VendorCall Call);
