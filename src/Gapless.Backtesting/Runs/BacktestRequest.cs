using Gapless.Core.Model;

namespace Gapless.Backtesting.Runs;

/// <summary>What a user asks to backtest: series of one provider, a range, a built-in strategy and its costs.</summary>
/// <param name="Provider">The provider's name (<c>sim</c>, <c>binance</c>, …).</param>
/// <param name="Symbols">One or more symbols, replayed together.</param>
/// <param name="Timeframe">The bar interval of every series.</param>
/// <param name="Range">The backtest range (UTC, half-open); warm-up bars are read before it.</param>
/// <param name="Strategy">A built-in strategy's name (<see cref="Strategies.BuiltIn.BuiltInStrategies.Names"/>).</param>
/// <param name="Parameters">The strategy's parameters as typed (<c>fast=10</c>).</param>
/// <param name="Cash">Starting cash. Default 10,000.</param>
/// <param name="FeeBps">Commission in basis points of notional. Default 10.</param>
/// <param name="FeePerOrder">A fixed fee per filled order. Default 0.</param>
/// <param name="SlippageBps">Slippage in basis points, against the trader. Default 0.</param>
/// <param name="AutoFetch">Fetch what is missing before the replay (default); false replays what is stored and reports the holes.</param>
public sealed record BacktestRequest(
    string Provider,
    IReadOnlyList<string> Symbols,
    Timeframe Timeframe,
    TimeRange Range,
    string Strategy,
    IReadOnlyDictionary<string, string> Parameters,
    double Cash = 10_000,
    double FeeBps = 10,
    double FeePerOrder = 0,
    double SlippageBps = 0,
    bool AutoFetch = true);
