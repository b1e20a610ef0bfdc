using Gapless.Backtesting.Metrics;

namespace Gapless.Backtesting;

/// <summary>
/// What a run produced, as values: the equity curve, trades, orders, fills and metrics. Immutable. With one series of
/// fixed-length bars the curve reads its step times from the frame replayed, so the result keeps that frame alive.
/// </summary>
/// <param name="Equity">One point per step of the backtest range.</param>
/// <param name="Trades">Closed trades, in the order they closed.</param>
/// <param name="OpenTrades">Lots still open at the end, marked at the last close (not sold, no exit fee).</param>
/// <param name="Orders">Every order placed, by id, as it ended (some may still be working).</param>
/// <param name="Fills">Every fill, in time order.</param>
/// <param name="Series">Per series: bars replayed as warm-up and in the range.</param>
public sealed record BacktestResult(
    EquityCurve Equity,
    IReadOnlyList<Trade> Trades,
    IReadOnlyList<Trade> OpenTrades,
    IReadOnlyList<OrderRecord> Orders,
    IReadOnlyList<Fill> Fills,
    BacktestMetrics Metrics,
    IReadOnlyList<SeriesReplay> Series)
{
    /// <summary>Bars the strategy saw, warm-up included.</summary>
    public long BarsReplayed => Series.Sum(s => (long)s.WarmupBars + s.RangeBars);
}

/// <summary>How many bars of one series were replayed: before the range (warm-up) and inside it.</summary>
public sealed record SeriesReplay(string Symbol, string Timeframe, int WarmupBars, int RangeBars);
