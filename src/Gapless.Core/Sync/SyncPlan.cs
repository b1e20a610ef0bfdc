using Gapless.Core.Model;

namespace Gapless.Core.Sync;

/// <summary>
/// What a sync would fetch, computed from coverage alone (no vendor request).
/// </summary>
/// <param name="Series">The series.</param>
/// <param name="Requested">The range asked for, aligned outward to bars.</param>
/// <param name="HorizonMs">Bars opening at or after this instant are not final yet and are left out.</param>
/// <param name="Missing">The ranges absent from coverage.</param>
/// <param name="Chunks">One vendor request each.</param>
/// <param name="Bars">Bar slots in the missing ranges (an upper bound on bars to fetch).</param>
/// <param name="Weight">Rate-limit weight the chunks spend.</param>
/// <param name="EstimatedWait">Time the rate budget alone imposes (zero when the weight fits in one window).</param>
public sealed record SyncPlan(
    Series Series,
    TimeRange Requested,
    long HorizonMs,
    RangeSet Missing,
    IReadOnlyList<TimeRange> Chunks,
    long Bars,
    long Weight,
    TimeSpan EstimatedWait);
