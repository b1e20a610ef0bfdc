using Gapless.Core.Calendars;
using Gapless.Core.Model;
using Gapless.Core.Sync;

namespace Gapless.Core.Backfill;

/// <summary>What to backfill: many series of one provider over one range, in batches.</summary>
/// <param name="Provider">The provider's name.</param>
/// <param name="Series">The series, each of that provider.</param>
/// <param name="Range">The range every series should hold.</param>
/// <param name="Calendar">The calendar the missing bars are counted under (the provider's when null).</param>
/// <param name="BatchSize">Series per batch. Default 50.</param>
/// <param name="Delay">Pause between batches (a courtesy to the vendor beyond its rate limit). Default none.</param>
/// <param name="Concurrency">Series synced at once inside a batch. Default 4.</param>
public sealed record BackfillRequest(
    string Provider,
    IReadOnlyList<Series> Series,
    TimeRange Range,
    ITradingCalendar? Calendar = null,
    int BatchSize = 50,
    TimeSpan Delay = default,
    int Concurrency = 4);

/// <summary>How one series' backfill ended.</summary>
public enum BackfillStatus
{
    /// <summary>New bars were stored (✓).</summary>
    Stored,

    /// <summary>Nothing was missing, or the vendor had nothing new (○).</summary>
    NothingNew,

    /// <summary>The vendor refused or failed; <see cref="BackfillSeriesResult.Error"/> says why (✗).</summary>
    Failed,
}

/// <summary>One series' backfill.</summary>
/// <param name="MissingBefore">Expected bars missing before (estimated_missing_bars of the quality report).</param>
/// <param name="MissingAfter">Expected bars missing after.</param>
/// <param name="Requests">Vendor requests made for this series.</param>
public sealed record BackfillSeriesResult(
    Series Series,
    BackfillStatus Status,
    long MissingBefore,
    long MissingAfter,
    long BarsFetched,
    long BarsStored,
    int Requests,
    string? Error = null);

/// <summary>What a backfill would do: the series to fetch and their plans.</summary>
/// <param name="Plans">One plan per series that has something to fetch.</param>
/// <param name="Complete">Series with nothing missing (skipped).</param>
/// <param name="Batches">How many batches the run takes.</param>
/// <param name="EstimatedWait">Time the provider's rate budget imposes on the requests (batch delays included).</param>
public sealed record BackfillPlan(IReadOnlyList<SyncPlan> Plans, IReadOnlyList<Series> Complete, int Batches, TimeSpan EstimatedWait)
{
    public long Requests => Plans.Sum(p => (long)p.Chunks.Count);

    public long Bars => Plans.Sum(p => p.Bars);
}

/// <summary>Progress of a backfill: a batch started, or a series finished.</summary>
/// <param name="Batch">The batch running (1-based; 0 for series found complete before the first batch).</param>
/// <param name="Batches">All batches.</param>
/// <param name="Finished">The series that just finished, or null when a batch starts.</param>
/// <param name="Running">Series of this batch in flight, with their chunk progress.</param>
public sealed record BackfillProgress(int Batch, int Batches, int SeriesDone, int SeriesTotal, BackfillSeriesResult? Finished, SyncProgress? Running);

/// <summary>The summary of a backfill.</summary>
public sealed record BackfillReport(IReadOnlyList<BackfillSeriesResult> Series, TimeSpan Elapsed)
{
    public int Processed => Series.Count;

    public int Succeeded => Series.Count(s => s.Status != BackfillStatus.Failed);

    public IEnumerable<BackfillSeriesResult> Failed => Series.Where(s => s.Status == BackfillStatus.Failed);

    public long BarsFetched => Series.Sum(s => s.BarsFetched);

    public long BarsStored => Series.Sum(s => s.BarsStored);

    public long Requests => Series.Sum(s => (long)s.Requests);

    public long MissingBefore => Series.Sum(s => s.MissingBefore);

    public long MissingAfter => Series.Sum(s => s.MissingAfter);
}
