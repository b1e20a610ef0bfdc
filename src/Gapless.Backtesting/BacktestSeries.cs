using Gapless.Core.Model;

namespace Gapless.Backtesting;

/// <summary>
/// One series handed to the engine: its symbol (unique within a run), its timeframe (which says when each bar
/// closes) and its bars, already read through Core's <c>MarketData</c>. The engine never fetches. The frame should
/// hold the strategy's warm-up bars before <see cref="BacktestOptions.Range"/> and the range itself.
/// </summary>
public sealed class BacktestSeries
{
    public BacktestSeries(string symbol, Timeframe timeframe, BarFrame bars)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        ArgumentNullException.ThrowIfNull(timeframe);
        ArgumentNullException.ThrowIfNull(bars);
        Symbol = symbol;
        Timeframe = timeframe;
        Bars = bars;
    }

    /// <summary>The symbol as the strategy sees it in <see cref="Strategies.BarEvent.Symbol"/>.</summary>
    public string Symbol { get; }

    public Timeframe Timeframe { get; }

    /// <summary>Bars in strictly ascending open-time order (a <see cref="BarFrame"/> guarantees it when built from bars).</summary>
    public BarFrame Bars { get; }
}
