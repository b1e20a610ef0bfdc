namespace Gapless.Backtesting.Strategies;

/// <summary>
/// A trading strategy: implement this in your own project and hand an instance to
/// <see cref="BacktestEngine.Run(IStrategy, IReadOnlyList{BacktestSeries}, BacktestOptions?)"/>.
/// <para>
/// The engine calls <see cref="Initialize"/> once per run, then <see cref="OnBar"/> once for every bar of every
/// series, in time order, each bar only after it has <em>closed</em> (ordered by close time; for series of one
/// timeframe that is open-time order; bars closing together come in the order the series were given). Orders
/// placed from <see cref="OnBar"/> fill at the earliest on the next bar of their symbol, so a strategy cannot
/// trade on information it would not have had.
/// </para>
/// <para>
/// The run is synchronous and deterministic: do no I/O, start no threads and read no clock in a strategy; the same
/// bars and parameters must give the same orders. Keep per-series state in arrays indexed by
/// <see cref="BarEvent.SeriesIndex"/>, sized in <see cref="Initialize"/>; avoid allocating per bar.
/// </para>
/// <para>
/// Speed: a backtest is often the only run in its process, and .NET first runs a method unoptimized (tier 0) until a
/// background recompilation lands, which can be after a year of 1m bars has been replayed. Mark <see cref="OnBar"/>
/// <c>[MethodImpl(MethodImplOptions.AggressiveOptimization)]</c> to have it optimized from the first bar, as the
/// built-in strategies do.
/// </para>
/// </summary>
public interface IStrategy
{
    /// <summary>
    /// How many bars of each series the strategy needs before the backtest range to have its indicators ready
    /// (e.g. the slow SMA's length). The runner fetches them; the engine shows them to the strategy with
    /// <see cref="StrategyContext.IsWarmingUp"/> set, when no order may be placed.
    /// </summary>
    int WarmupBars { get; }

    /// <summary>
    /// Called once before the first bar of each run with the symbols replayed, in the order given to the engine:
    /// <c>symbols[bar.SeriesIndex] == bar.Symbol</c>. Reset any state here so an instance can run twice.
    /// </summary>
    void Initialize(IReadOnlyList<string> symbols)
    {
    }

    /// <summary>A bar has closed. Read state and place or cancel orders through <paramref name="context"/>.</summary>
    void OnBar(in BarEvent bar, StrategyContext context);
}

/// <summary>
/// A closed bar as the strategy sees it. Prices and volume are doubles converted once from the frame's exact decimals.
/// Times are epoch milliseconds UTC; the bar is delivered at <see cref="CloseTimeMs"/>.
/// </summary>
/// <param name="SeriesIndex">The series' position in the list given to the engine (0-based): index per-series state with it.</param>
/// <param name="Symbol">The series' symbol.</param>
/// <param name="OpenTimeMs">The bar's open time: its stamp everywhere in Gapless.</param>
/// <param name="CloseTimeMs">The bar's close (exclusive end): the next bar's open time on the grid.</param>
public readonly record struct BarEvent(
    int SeriesIndex,
    string Symbol,
    long OpenTimeMs,
    long CloseTimeMs,
    double Open,
    double High,
    double Low,
    double Close,
    double Volume)
{
    public DateTimeOffset OpenTime => DateTimeOffset.FromUnixTimeMilliseconds(OpenTimeMs);

    public DateTimeOffset CloseTime => DateTimeOffset.FromUnixTimeMilliseconds(CloseTimeMs);
}
