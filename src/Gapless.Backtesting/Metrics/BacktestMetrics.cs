namespace Gapless.Backtesting.Metrics;

/// <summary>
/// The statistics of a run. Fractions, not percents (0.12 is 12 %). A metric that is undefined for the run is null:
/// a ratio with a zero denominator, CAGR over no elapsed time, win rate with no trades. Times are epoch ms UTC.
/// Computed in double from the equity curve (see <see cref="PerformanceMetrics"/> for every formula).
/// </summary>
/// <param name="InitialEquity">Equity at the first step (the starting cash).</param>
/// <param name="FinalEquity">Equity at the last step.</param>
/// <param name="TotalReturn"><c>final / initial − 1</c>.</param>
/// <param name="Cagr"><c>(final / initial)^(1 / years) − 1</c>, years being calendar time between the first and last step over 365.25 days.</param>
/// <param name="AnnualizedVolatility">Sample standard deviation of per-step returns × √<paramref name="BarsPerYear"/>.</param>
/// <param name="Sharpe">Mean per-step return over its sample standard deviation × √<paramref name="BarsPerYear"/>; risk-free rate 0.</param>
/// <param name="Sortino">Mean per-step return over the downside deviation (√(Σ min(r, 0)² / n), target 0) × √<paramref name="BarsPerYear"/>.</param>
/// <param name="MaxDrawdown">The largest fall from a running peak, as a fraction of the peak (0 when equity never fell).</param>
/// <param name="MaxDrawdownPeakMs">The last step at the peak before the largest fall (where the fall starts).</param>
/// <param name="MaxDrawdownTroughMs">The step at the bottom of the largest fall.</param>
/// <param name="MaxDrawdownRecoveryMs">The first step after the trough back at or above the peak; null if never.</param>
/// <param name="Trades">Closed trades.</param>
/// <param name="WinRate">Share of closed trades with a positive net P&amp;L.</param>
/// <param name="ProfitFactor">Net profit of winning trades over net loss of losing ones; null with no losing trade.</param>
/// <param name="Exposure">Share of steps with an open position.</param>
/// <param name="TotalFees">Every commission and per-order fee paid.</param>
/// <param name="BarsPerYear">The annualisation factor used (see <see cref="Annualization"/>).</param>
/// <param name="Steps">Points in the equity curve.</param>
public sealed record BacktestMetrics(
    double InitialEquity,
    double FinalEquity,
    double TotalReturn,
    double? Cagr,
    double? AnnualizedVolatility,
    double? Sharpe,
    double? Sortino,
    double MaxDrawdown,
    long? MaxDrawdownPeakMs,
    long? MaxDrawdownTroughMs,
    long? MaxDrawdownRecoveryMs,
    int Trades,
    double? WinRate,
    double? ProfitFactor,
    double Exposure,
    double TotalFees,
    double BarsPerYear,
    int Steps);
