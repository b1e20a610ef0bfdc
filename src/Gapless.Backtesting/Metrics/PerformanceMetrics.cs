using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
namespace Gapless.Backtesting.Metrics;

/// <summary>
/// Computes <see cref="BacktestMetrics"/> from an equity curve and trades. Per-step returns are
/// <c>rᵢ = Eᵢ / Eᵢ₋₁ − 1</c> over consecutive points; every statistic is in double (fast, and far finer than the
/// noise of any backtest); the risk-free rate is 0. Pure and thread-safe.
/// </summary>
public static class PerformanceMetrics
{
    private const double MsPerYear = 365.25 * 86_400_000;

    /// <param name="curve">The equity curve; its first point is the starting equity.</param>
    /// <param name="trades">Closed trades.</param>
    /// <param name="barsPerYear">Steps per year (see <see cref="Annualization"/>); positive.</param>
    /// <param name="totalFees">Fees paid, reported as is.</param>
    public static BacktestMetrics Compute(EquityCurve curve, IReadOnlyList<Trade> trades, double barsPerYear, double totalFees = 0)
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentNullException.ThrowIfNull(trades);
        if (!(barsPerYear > 0) || double.IsInfinity(barsPerYear))
        {
            throw new ArgumentOutOfRangeException(nameof(barsPerYear), barsPerYear, "bars per year must be positive and finite");
        }

        var n = curve.Count;
        var equity = curve.Equity;
        var first = n > 0 ? equity[0] : 0;
        var last = n > 0 ? equity[n - 1] : 0;
        var totalReturn = first > 0 ? (last / first) - 1 : 0;

        double? cagr = null;
        if (n > 1 && first > 0 && curve.TimeAt(n - 1) > curve.TimeAt(0))
        {
            var years = (curve.TimeAt(n - 1) - curve.TimeAt(0)) / MsPerYear;
            cagr = last <= 0 ? -1 : Math.Pow(last / first, 1 / years) - 1;
        }

        var (volatility, sharpe, sortino) = ReturnStatistics(equity, barsPerYear);
        var (maxDrawdown, peak, trough, recovery) = MaxDrawdown(equity);
        var inMarket = curve.StepsInMarket();

        var (wins, won, lost) = (0, 0.0, 0.0);
        foreach (var t in trades)
        {
            if (t.Pnl > 0)
            {
                wins++;
                won += t.Pnl;
            }
            else
            {
                lost -= t.Pnl;
            }
        }

        return new BacktestMetrics(
            first,
            last,
            totalReturn,
            cagr,
            volatility,
            sharpe,
            sortino,
            maxDrawdown,
            maxDrawdown > 0 ? curve.TimeAt(peak) : null,
            maxDrawdown > 0 ? curve.TimeAt(trough) : null,
            recovery >= 0 ? curve.TimeAt(recovery) : null,
            trades.Count,
            trades.Count > 0 ? (double)wins / trades.Count : null,
            lost > 0 ? won / lost : null,
            n > 0 ? (double)inMarket / n : 0,
            totalFees,
            barsPerYear,
            n);
    }

    /// <summary>
    /// Annualised volatility, Sharpe and Sortino; each null where its denominator is 0 or there are under two returns.
    /// One pass, four steps at a time (a division per step is most of its cost), in a fixed order, so the result is
    /// the same on every run. The variance is accumulated on returns shifted by the first one (the textbook "shifted
    /// data" method), which keeps it exact to rounding without a second pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per backtest over every bar: skip tier 0 and OSR
    internal static (double? Volatility, double? Sharpe, double? Sortino) ReturnStatistics(ReadOnlySpan<double> equity, double barsPerYear)
    {
        var count = equity.Length - 1;
        if (count < 2)
        {
            return (null, null, null);
        }

        foreach (var e in equity[..^1])
        {
            if (!(e > 0))
            {
                return (null, null, null); // returns are undefined once equity is gone
            }
        }

        var shift = (equity[1] / equity[0]) - 1;
        double sum = 0, shifted = 0, shiftedSquares = 0, downside = 0;
        var i = 1;
        if (Vector256.IsHardwareAccelerated)
        {
            var (vSum, vShifted, vSquares, vDownside) = (Vector256<double>.Zero, Vector256<double>.Zero, Vector256<double>.Zero, Vector256<double>.Zero);
            var (one, vShift) = (Vector256.Create(1.0), Vector256.Create(shift));
            for (; i <= equity.Length - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var r = (Vector256.Create(equity.Slice(i, 4)) / Vector256.Create(equity.Slice(i - 1, 4))) - one;
                vSum += r;
                var d = r - vShift;
                vShifted += d;
                vSquares += d * d;
                var loss = Vector256.Min(r, Vector256<double>.Zero);
                vDownside += loss * loss;
            }

            (sum, shifted, shiftedSquares, downside) = (Vector256.Sum(vSum), Vector256.Sum(vShifted), Vector256.Sum(vSquares), Vector256.Sum(vDownside));
        }

        for (; i < equity.Length; i++)
        {
            var r = (equity[i] / equity[i - 1]) - 1;
            sum += r;
            var d = r - shift;
            shifted += d;
            shiftedSquares += d * d;
            if (r < 0)
            {
                downside += r * r;
            }
        }

        var mean = sum / count;
        var variance = Math.Max(0, (shiftedSquares - (shifted * shifted / count)) / (count - 1));
        var scale = Math.Sqrt(barsPerYear);
        var sd = Math.Sqrt(variance);
        var downsideDeviation = Math.Sqrt(downside / count);
        return (
            sd * scale,
            sd > 0 ? mean / sd * scale : null,
            downsideDeviation > 0 ? mean / downsideDeviation * scale : null);
    }

    /// <summary>
    /// The largest fall from a running peak, with the indexes of that peak (the last step at it), its trough and the
    /// recovery (−1: none). Divides only when a fall beats the deepest so far.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per backtest over every bar: skip tier 0 and OSR
    internal static (double MaxDrawdown, int Peak, int Trough, int Recovery) MaxDrawdown(ReadOnlySpan<double> equity)
    {
        double max = 0;
        int peak = 0, bestPeak = 0, trough = 0;
        for (var i = 0; i < equity.Length; i++)
        {
            var e = equity[i];
            var top = equity[peak];
            if (e >= top)
            {
                peak = i;
            }
            else if (top > 0 && top - e > max * top)
            {
                var dd = EquityCurve.DrawdownOf(e, top);
                if (dd > max)
                {
                    (max, bestPeak, trough) = (dd, peak, i);
                }
            }
        }

        var recovery = -1;
        if (max > 0)
        {
            for (var i = trough + 1; i < equity.Length; i++)
            {
                if (equity[i] >= equity[bestPeak])
                {
                    recovery = i;
                    break;
                }
            }
        }

        return (max, bestPeak, trough, recovery);
    }
}
