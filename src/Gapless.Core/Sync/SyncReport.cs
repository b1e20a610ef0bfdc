using Gapless.Core.Errors;
using Gapless.Core.Model;

namespace Gapless.Core.Sync;

/// <summary>What happened to one chunk.</summary>
public enum ChunkStatus
{
    /// <summary>The vendor answered with bars.</summary>
    Fetched,

    /// <summary>The vendor answered with nothing there (before a listing, a halt); now covered.</summary>
    Empty,

    /// <summary>The vendor failed after retries or refused; the chunk stays uncovered.</summary>
    Failed,

    /// <summary>Not attempted because an earlier chunk hit an error that would fail it too.</summary>
    Skipped,
}

/// <summary>The outcome of one chunk of a sync.</summary>
/// <param name="Chunk">The range asked of the vendor.</param>
/// <param name="Status">Fetched, empty, failed or skipped.</param>
/// <param name="BarsFetched">Bars the vendor returned.</param>
/// <param name="BarsStored">Bars newly stored.</param>
/// <param name="BarsQuarantined">Bars the validator rejected.</param>
/// <param name="Requests">Vendor requests made for the chunk, retries included (0 when shared with another caller).</param>
/// <param name="Error">Why it failed or was skipped.</param>
/// <param name="ErrorKind">The vendor error kind, where the failure came from the vendor.</param>
/// <param name="Shared">True when another caller in this process fetched the chunk and this one waited for it.</param>
public sealed record ChunkOutcome(
    TimeRange Chunk,
    ChunkStatus Status,
    int BarsFetched,
    int BarsStored,
    int BarsQuarantined,
    int Requests,
    string? Error = null,
    VendorErrorKind? ErrorKind = null,
    bool Shared = false)
{
    public bool Succeeded => Status is ChunkStatus.Fetched or ChunkStatus.Empty;
}

/// <summary>
/// The result of making a range complete. <see cref="MissingBefore"/> is what was absent from coverage (up to the
/// finalization horizon) when the sync started; <see cref="MissingAfter"/> what still is.
/// </summary>
public sealed record SyncReport(
    Series Series,
    TimeRange Requested,
    long HorizonMs,
    RangeSet MissingBefore,
    RangeSet MissingAfter,
    IReadOnlyList<ChunkOutcome> Chunks,
    TimeSpan Elapsed)
{
    public int Requests => Chunks.Sum(c => c.Requests);

    public long BarsFetched => Chunks.Where(c => !c.Shared).Sum(c => (long)c.BarsFetched);

    public long BarsStored => Chunks.Where(c => !c.Shared).Sum(c => (long)c.BarsStored);

    public long BarsQuarantined => Chunks.Where(c => !c.Shared).Sum(c => (long)c.BarsQuarantined);

    public bool IsComplete => MissingAfter.IsEmpty;

    public IEnumerable<ChunkOutcome> Failures => Chunks.Where(c => !c.Succeeded);
}

/// <summary>Progress of a sync, reported after each chunk.</summary>
public sealed record SyncProgress(Series Series, int ChunksDone, int ChunksTotal, long BarsFetched, int Requests, int ChunksFailed);
