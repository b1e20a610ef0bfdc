using System.Globalization;
using Gapless.Backtesting.Engine;
using Gapless.Backtesting.Strategies;
using Gapless.Core.Errors;
using Gapless.Core.Model;

namespace Gapless.Backtesting;

/// <summary>
/// Runs a strategy over bars already in memory: the event-driven, deterministic backtest loop. It never fetches;
/// the runner reads the range plus the strategy's <see cref="IStrategy.WarmupBars"/> through Core's <c>MarketData</c>
/// and hands the frames here.
/// <para>
/// Time: the strategy sees a bar only once it has closed, and an order fills at the earliest on the next bar of its
/// symbol (market at the open; limit and stop when the bar's range reaches them, or at the open when it gaps through;
/// see <see cref="OrderType"/>). Orders stay working until filled or cancelled. Costs: commission in basis points of
/// notional plus a fixed fee per filled order; slippage in basis points against the trader on market and stop fills.
/// </para>
/// <para>
/// Numbers: prices come from the frames' exact decimals converted once to double; indicators, cash and equity are
/// double (fast, no allocation, and 15–16 significant digits are far below any fee).
/// </para>
/// Thread-safe as long as each concurrent run has its own strategy instance.
/// </summary>
public static class BacktestEngine
{
    /// <summary>Replays <paramref name="series"/> (merged by close time) through <paramref name="strategy"/>.</summary>
    /// <param name="strategy">The strategy; <see cref="IStrategy.Initialize"/> resets it.</param>
    /// <param name="series">One or more series with distinct symbols.</param>
    /// <param name="options">Cash, costs, range; defaults when null.</param>
    /// <exception cref="InvalidRequestException">An option is out of range; the message names it and its value.</exception>
    /// <exception cref="ArgumentException">No series, duplicate symbols, bars out of order or with missing prices.</exception>
    public static BacktestResult Run(IStrategy strategy, IReadOnlyList<BacktestSeries> series, BacktestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(series);
        options ??= new BacktestOptions();
        Validate(options);
        if (series.Count == 0)
        {
            throw new ArgumentException("a backtest needs at least one series", nameof(series));
        }

        var symbols = new HashSet<string>(StringComparer.Ordinal);
        var cursors = new SeriesCursor[series.Count];
        for (var i = 0; i < cursors.Length; i++)
        {
            var s = series[i] ?? throw new ArgumentException($"series {i} is null", nameof(series));
            if (!symbols.Add(s.Symbol))
            {
                throw new ArgumentException($"symbol '{s.Symbol}' is given twice; each series needs its own symbol", nameof(series));
            }

            cursors[i] = new SeriesCursor(s, options.Range);
        }

        if (strategy.WarmupBars < 0)
        {
            throw new ArgumentException($"the strategy's warm-up ({strategy.WarmupBars} bars) must not be negative", nameof(strategy));
        }

        return new Replay(strategy, cursors, options).Run();
    }

    /// <summary>One series: a shorthand for <see cref="Run(IStrategy, IReadOnlyList{BacktestSeries}, BacktestOptions?)"/>.</summary>
    public static BacktestResult Run(IStrategy strategy, string symbol, Timeframe timeframe, BarFrame bars, BacktestOptions? options = null)
        => Run(strategy, [new BacktestSeries(symbol, timeframe, bars)], options);

    private static void Validate(BacktestOptions o)
    {
        Check(o.InitialCash > 0 && double.IsFinite(o.InitialCash), "initial cash", o.InitialCash, "must be positive");
        Check(o.CommissionBps is >= 0 and < 10_000, "commission", o.CommissionBps, "must be from 0 to under 10,000 bps");
        Check(o.FeePerOrder >= 0 && double.IsFinite(o.FeePerOrder), "fee per order", o.FeePerOrder, "must not be negative");
        Check(o.SlippageBps is >= 0 and < 10_000, "slippage", o.SlippageBps, "must be from 0 to under 10,000 bps");
        if (o.BarsPerYear is { } b)
        {
            Check(b > 0 && double.IsFinite(b), "bars per year", b, "must be positive");
        }
    }

    private static void Check(bool ok, string name, double value, string rule)
    {
        if (!ok)
        {
            throw new InvalidRequestException($"{name} {rule}, got {value.ToString(CultureInfo.InvariantCulture)}");
        }
    }
}
