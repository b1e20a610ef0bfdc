using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Core.Quality;
using Gapless.Core.Sync;

namespace Gapless.Backtesting.Runs;

/// <summary>A finished backtest run: its id and status, the engine's result (when it ran) and what data it ran on.</summary>
/// <param name="Id">The run's id in the store.</param>
/// <param name="Status">Completed or failed.</param>
/// <param name="Request">What was asked.</param>
/// <param name="Result">The engine's result; null when the run failed before the replay.</param>
/// <param name="Data">Per series: the data the run needed and what it took to get it.</param>
/// <param name="Error">Why it failed, or null.</param>
/// <param name="Transitions">Every status the run went through, with times.</param>
public sealed record BacktestRun(
    string Id,
    RunStatus Status,
    BacktestRequest Request,
    BacktestResult? Result,
    IReadOnlyList<SeriesData> Data,
    string? Error,
    IReadOnlyList<RunTransition> Transitions)
{
    /// <summary>Bars the strategy saw, warm-up included.</summary>
    public long BarsReplayed => Result?.BarsReplayed ?? 0;

    /// <summary>Vendor requests this run made (0 when everything was stored).</summary>
    public long VendorRequests => Data.Sum(d => (long)d.VendorRequests);

    /// <summary>Expected bars still missing in the data the run needed (vendor holes and, without auto-fetch, what was never fetched).</summary>
    public long MissingBars => Data.Sum(d => d.Quality?.EstimatedMissingBars ?? 0);
}

/// <summary>One series' data for a run.</summary>
/// <param name="Series">The series.</param>
/// <param name="Needed">The range read: the backtest range plus the strategy's warm-up before it.</param>
/// <param name="Sync">The pre-run sync, or null when nothing was fetched (auto-fetch off, or the run failed earlier).</param>
/// <param name="Quality">The quality of <paramref name="Needed"/> after the sync, under the provider's calendar.</param>
public sealed record SeriesData(Series Series, TimeRange Needed, SyncReport? Sync, SeriesQuality? Quality)
{
    public int VendorRequests => Sync?.Requests ?? 0;

    public long BarsFetched => Sync?.BarsFetched ?? 0;
}

/// <summary>Where a run is, for a display: the status, and while fetching the sync's progress.</summary>
public sealed record BacktestProgress(RunStatus Status, SyncProgress? Fetch = null);
