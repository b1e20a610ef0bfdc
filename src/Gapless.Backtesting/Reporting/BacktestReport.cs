namespace Gapless.Backtesting.Reporting;

/// <summary>
/// Everything the HTML report shows about one backtest run, as plain values. It is the report's own model, kept apart
/// from the engine's types so the two can change separately: whoever builds it (the CLI, the server) maps the run into
/// it. Every string is user text to the report and is escaped when written. Times are UTC.
/// </summary>
/// <param name="Title">The page's heading, e.g. <c>sma-cross on BTCUSDT 1m</c>.</param>
/// <param name="RunId">The run's id as recorded in the store.</param>
/// <param name="Status">The run's final status (<c>completed</c>, <c>failed</c>, …).</param>
/// <param name="Request">What was asked for.</param>
/// <param name="Equity">The equity curve; empty when nothing was replayed.</param>
/// <param name="Metrics">The statistics, in the order they are shown.</param>
/// <param name="Trades">Closed (and open, marked) trades in the order they are shown.</param>
/// <param name="Data">Per series: how complete the data was and what this run fetched.</param>
public sealed record BacktestReport(
    string Title,
    string RunId,
    string Status,
    ReportRequest Request,
    ReportEquity Equity,
    IReadOnlyList<ReportMetric> Metrics,
    IReadOnlyList<ReportTrade> Trades,
    IReadOnlyList<ReportSeriesData> Data)
{
    /// <summary>Why the run failed, shown prominently; null for a run that did not fail.</summary>
    public string? Error { get; init; }

    /// <summary>When the report was made (the caller's clock); not shown when null.</summary>
    public DateTimeOffset? GeneratedAt { get; init; }

    /// <summary>Free-text remarks shown under the heading, e.g. that the run used <c>--no-auto-fetch</c>.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>The backtest request as the user gave it.</summary>
/// <param name="Provider">The data provider, e.g. <c>binance</c>.</param>
/// <param name="Symbols">Every symbol replayed.</param>
/// <param name="Timeframe">The bar timeframe, e.g. <c>1m</c>.</param>
/// <param name="From">Start of the backtest range (inclusive, UTC).</param>
/// <param name="To">End of the backtest range (exclusive, UTC).</param>
/// <param name="Strategy">The strategy's name, e.g. <c>sma-cross</c>.</param>
/// <param name="Parameters">The strategy's parameters as given, in order.</param>
/// <param name="Cash">Starting cash.</param>
/// <param name="FeeBps">Commission in basis points of notional.</param>
public sealed record ReportRequest(
    string Provider,
    IReadOnlyList<string> Symbols,
    string Timeframe,
    DateTimeOffset From,
    DateTimeOffset To,
    string Strategy,
    IReadOnlyList<ReportParameter> Parameters,
    double Cash,
    double FeeBps)
{
    /// <summary>A fixed fee per order, in cash units; 0 by default.</summary>
    public double FeePerOrder { get; init; }

    /// <summary>Slippage in basis points of price; 0 by default.</summary>
    public double SlippageBps { get; init; }
}

/// <summary>One strategy parameter, as text (it is shown, not interpreted).</summary>
public sealed record ReportParameter(string Name, string Value);

/// <summary>
/// The equity curve as columns: a year of 1m bars is half a million points, so no object per point. The report
/// downsamples it for drawing; the values given here are not changed.
/// </summary>
/// <param name="TimesMs">Step times, epoch milliseconds UTC, strictly ascending.</param>
/// <param name="Values">Equity at each step; as many as <paramref name="TimesMs"/>.</param>
/// <param name="Drawdown">
/// How far below its running peak equity is at each step, as a fraction (0 at a peak, 0.25 when 25 % below); null to
/// have the report derive it from <paramref name="Values"/>.
/// </param>
public sealed record ReportEquity(IReadOnlyList<long> TimesMs, IReadOnlyList<double> Values, IReadOnlyList<double>? Drawdown = null)
{
    /// <summary>No curve (a run that replayed nothing).</summary>
    public static ReportEquity Empty { get; } = new([], []);

    /// <summary>Points in the curve.</summary>
    public int Count => TimesMs.Count;
}

/// <summary>One row of the metrics table.</summary>
/// <param name="Label">What it is, e.g. <c>Sharpe</c>.</param>
/// <param name="Value">How it is shown, already formatted by the caller (e.g. <c>12.3 %</c>, <c>n/a</c>).</param>
/// <param name="Raw">The number behind it, kept in the page for scripts (a <c>data-raw</c> attribute); null if none.</param>
public sealed record ReportMetric(string Label, string Value, double? Raw = null);

/// <summary>One trade. Times are UTC.</summary>
/// <param name="Symbol">The symbol traded.</param>
/// <param name="Side"><c>long</c> or <c>short</c> (shown as given).</param>
/// <param name="Quantity">Units traded, positive.</param>
/// <param name="EntryTime">When the entry filled.</param>
/// <param name="EntryPrice">The entry fill price.</param>
/// <param name="ExitTime">When the exit filled; null while open.</param>
/// <param name="ExitPrice">The exit fill price, or the mark for an open trade; null if unknown.</param>
/// <param name="Fees">Commission paid on entry and exit.</param>
/// <param name="Pnl">Net profit or loss after fees.</param>
/// <param name="Return">Net P&amp;L over the entry notional, as a fraction (0.012 is 1.2 %).</param>
public sealed record ReportTrade(
    string Symbol,
    string Side,
    double Quantity,
    DateTimeOffset EntryTime,
    double EntryPrice,
    DateTimeOffset? ExitTime,
    double? ExitPrice,
    double Fees,
    double Pnl,
    double Return)
{
    /// <summary>True for a position still open at the end, marked at the last close.</summary>
    public bool IsOpen { get; init; }
}

/// <summary>How complete one series was for the run, and what the run had to fetch for it.</summary>
/// <param name="Provider">The series' provider.</param>
/// <param name="Symbol">The series' symbol.</param>
/// <param name="Timeframe">The series' timeframe.</param>
/// <param name="From">Start of the range the run needed (warm-up included), inclusive, UTC.</param>
/// <param name="To">End of that range, exclusive, UTC.</param>
/// <param name="CoveragePercent">Share of the range inside the store's coverage, 0 to 100.</param>
/// <param name="BarsReplayed">Bars the strategy saw.</param>
/// <param name="BarsFetched">Bars fetched from the vendor for this run (0 on a re-run).</param>
/// <param name="VendorRequests">Vendor requests made for this run.</param>
/// <param name="MissingBars">Bars of the range neither stored nor known absent (outside coverage).</param>
/// <param name="VendorHoles">Ranges inside coverage where the vendor had no bars (outages, halts): known facts, not gaps to fetch.</param>
public sealed record ReportSeriesData(
    string Provider,
    string Symbol,
    string Timeframe,
    DateTimeOffset From,
    DateTimeOffset To,
    double CoveragePercent,
    long BarsReplayed,
    long BarsFetched,
    long VendorRequests,
    long MissingBars,
    IReadOnlyList<ReportGap> VendorHoles)
{
    /// <summary>The parts of the range outside coverage, when known; drawn in the coverage bar where they are.</summary>
    public IReadOnlyList<ReportGap> MissingRanges { get; init; } = [];
}

/// <summary>A half-open range <c>[From, To)</c> in UTC and how many bars it spans.</summary>
public sealed record ReportGap(DateTimeOffset From, DateTimeOffset To, long Bars);
