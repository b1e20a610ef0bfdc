using System.Globalization;
using Gapless.Backtesting.Reporting;
using Gapless.Core.Model;
using Gapless.Core.Quality;

namespace Gapless.Backtesting.Runs;

/// <summary>Turns a run into the HTML report's model: request, equity and drawdown, metrics, trades, and the data it ran on.</summary>
public static class RunReport
{
    public static BacktestReport Of(BacktestRun run, DateTimeOffset generatedAt)
    {
        ArgumentNullException.ThrowIfNull(run);
        var r = run.Request;
        var request = new ReportRequest(
            r.Provider,
            r.Symbols,
            r.Timeframe.Code,
            r.Range.From,
            r.Range.To,
            r.Strategy,
            [.. r.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new ReportParameter(p.Key, p.Value))],
            r.Cash,
            r.FeeBps)
        {
            FeePerOrder = r.FeePerOrder,
            SlippageBps = r.SlippageBps,
        };
        var equity = run.Result is { } result
            ? new ReportEquity([.. result.Equity.Select(p => p.TimeMs)], [.. result.Equity.Select(p => p.Equity)], [.. result.Equity.Select(p => p.Drawdown)])
            : ReportEquity.Empty;
        var trades = run.Result is { } res
            ? res.Trades.Concat(res.OpenTrades).Select(t => new ReportTrade(
                t.Symbol,
                t.Side.ToString(),
                t.Quantity,
                DateTimeOffset.FromUnixTimeMilliseconds(t.EntryTimeMs),
                t.EntryPrice,
                t.IsOpen ? null : DateTimeOffset.FromUnixTimeMilliseconds(t.ExitTimeMs),
                t.IsOpen ? null : t.ExitPrice,
                t.Fees,
                t.Pnl,
                double.IsFinite(t.Return) ? t.Return : 0) { IsOpen = t.IsOpen }).ToList()
            : [];
        var data = run.Data.Select(d => new ReportSeriesData(
            d.Series.Provider,
            d.Series.Symbol,
            d.Series.Timeframe.Code,
            d.Needed.From,
            d.Needed.To,
            d.Quality?.CoveragePercent ?? 0,
            run.Result?.Series.FirstOrDefault(s => s.Symbol == d.Series.Symbol) is { } replay ? replay.WarmupBars + replay.RangeBars : 0,
            d.BarsFetched,
            d.VendorRequests,
            d.Quality?.NotFetchedBars ?? 0, // vendor holes are listed apart: known facts, not missing data
            Gaps(d.Quality, GapKind.VendorHole))
        {
            MissingRanges = Gaps(d.Quality, GapKind.NotFetched),
        }).ToList();
        return new BacktestReport(
            $"{r.Strategy} on {string.Join(", ", r.Symbols)} ({r.Provider}, {r.Timeframe.Code})",
            run.Id,
            RunJson.Status(run.Status),
            request,
            equity,
            Metrics(run),
            trades,
            data)
        {
            Error = run.Error,
            GeneratedAt = generatedAt,
        };
    }

    /// <summary>The metrics as people read them, in a fixed order.</summary>
    public static IReadOnlyList<ReportMetric> Metrics(BacktestRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Result?.Metrics is not { } m)
        {
            return [];
        }

        return
        [
            new("Total return", Pct(m.TotalReturn), m.TotalReturn),
            new("CAGR", Pct(m.Cagr), m.Cagr),
            new("Annualised volatility", Pct(m.AnnualizedVolatility), m.AnnualizedVolatility),
            new("Sharpe", Num(m.Sharpe), m.Sharpe),
            new("Sortino", Num(m.Sortino), m.Sortino),
            new("Max drawdown", Pct(-m.MaxDrawdown), -m.MaxDrawdown),
            new("Max drawdown peak → trough", m.MaxDrawdownPeakMs is { } p && m.MaxDrawdownTroughMs is { } t ? $"{Day(p)} → {Day(t)}" : "—"),
            new("Recovered", m.MaxDrawdownRecoveryMs is { } rec ? Day(rec) : "not yet"),
            new("Trades", m.Trades.ToString(CultureInfo.InvariantCulture), m.Trades),
            new("Win rate", Pct(m.WinRate), m.WinRate),
            new("Profit factor", Num(m.ProfitFactor), m.ProfitFactor),
            new("Exposure", Pct(m.Exposure), m.Exposure),
            new("Fees", m.TotalFees.ToString("N2", CultureInfo.InvariantCulture), m.TotalFees),
            new("Final equity", m.FinalEquity.ToString("N2", CultureInfo.InvariantCulture), m.FinalEquity),
        ];
    }

    private static IReadOnlyList<ReportGap> Gaps(SeriesQuality? quality, GapKind kind)
        => quality is null
            ? []
            : [.. quality.LargestGaps.Where(g => g.Kind == kind).Select(g => new ReportGap(g.Range.From, g.Range.To, g.Bars))];

    private static string Pct(double? value) => value is { } v && double.IsFinite(v) ? (v * 100).ToString("0.00", CultureInfo.InvariantCulture) + " %" : "—";

    private static string Num(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("0.00", CultureInfo.InvariantCulture) : "—";

    private static string Day(long ms) => UtcTime.ToDateTimeOffset(ms).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
