using Gapless.Core.Calendars;
using Gapless.Core.Model;

namespace Gapless.Backtesting;

/// <summary>
/// How a backtest trades and what it costs. Immutable; every value is checked when the run starts
/// (<see cref="BacktestEngine.Run(Strategies.IStrategy, IReadOnlyList{BacktestSeries}, BacktestOptions?)"/>), with a
/// message naming the option and the value.
/// </summary>
public sealed record BacktestOptions
{
    /// <summary>Starting cash, in the quote currency. Default 10,000. Must be positive.</summary>
    public double InitialCash { get; init; } = 10_000;

    /// <summary>
    /// Commission in basis points of each fill's notional (quantity × fill price): 10 means 0.1 %. Default 0.
    /// </summary>
    public double CommissionBps { get; init; }

    /// <summary>A fixed fee charged on every filled order, in the quote currency. Default 0.</summary>
    public double FeePerOrder { get; init; }

    /// <summary>
    /// Slippage in basis points, always against the trader: a buy fills at price × (1 + bps/10⁴), a sell at
    /// price × (1 − bps/10⁴). Applied to market orders and triggered stops; limit orders fill at their limit or
    /// better and are never slipped. Default 0.
    /// </summary>
    public double SlippageBps { get; init; }

    /// <summary>
    /// The backtest range (UTC, half-open). Bars opening before <see cref="TimeRange.FromMs"/> are warm-up: the
    /// strategy sees them with <see cref="Strategies.StrategyContext.IsWarmingUp"/> set and may not trade, and they
    /// are not in the equity curve. Bars opening at or after <see cref="TimeRange.ToMs"/> are ignored. Null (the
    /// default): every bar handed in is traded.
    /// </summary>
    public TimeRange? Range { get; init; }

    /// <summary>
    /// The market's calendar, used only to annualise volatility, Sharpe and Sortino (see <see cref="Metrics.Annualization"/>).
    /// Null (the default) means <c>24/7</c>.
    /// </summary>
    public ITradingCalendar? Calendar { get; init; }

    /// <summary>Overrides the annualisation factor (equity-curve steps per year) derived from the timeframe and calendar.</summary>
    public double? BarsPerYear { get; init; }
}
