using Gapless.Backtesting.Metrics;
using Gapless.Core.Calendars;
using Gapless.Core.Model;

namespace Gapless.Backtesting.Tests.Metrics;

public sealed class PerformanceMetricsTests
{
    private const long Day = 86_400_000;
    private static readonly long Start = UtcTime.ToEpochMs(new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private static EquityCurve Curve(params double[] equity) => Curve(equity.Select((e, i) => (Start + (i * Day), e)).ToArray());

    private static EquityCurve Curve(params (long Time, double Equity)[] points)
        => EquityCurve.From(points.Select(p => new EquityPoint(p.Time, p.Equity, p.Equity, 0, 0, false)).ToArray());

    private static Trade TradeWith(double pnl) => new("X", PositionSide.Long, 1, 0, 100, 1, 100 + pnl, 0, pnl);

    [Fact]
    public void SharpeSortinoVolatility_OnATinyCurve_MatchHandComputation()
    {
        // 100 → 110 → 99 → 118.8 → 112.86: returns +0.1, −0.1, +0.2, −0.05.
        // mean 0.15 / 4 = 0.0375; squared deviations 0.0625², 0.1375², 0.1625², 0.0875² sum to 0.056875;
        // sample sd √(0.056875 / 3). Downside: (0.1² + 0.05²) / 4 = 0.003125 → √0.003125. Annualised with 252.
        var m = PerformanceMetrics.Compute(Curve(100, 110, 99, 118.8, 112.86), [], barsPerYear: 252);

        var sd = Math.Sqrt(0.056875 / 3);
        Assert.Equal(sd * Math.Sqrt(252), m.AnnualizedVolatility!.Value, 1e-9);
        Assert.Equal(0.0375 / sd * Math.Sqrt(252), m.Sharpe!.Value, 1e-9);
        Assert.Equal(0.0375 / Math.Sqrt(0.003125) * Math.Sqrt(252), m.Sortino!.Value, 1e-9);
        Assert.Equal(0.1286, m.TotalReturn, 1e-12);
        Assert.Equal(5, m.Steps);
    }

    [Fact]
    public void Cagr_UsesCalendarTimeBetweenTheFirstAndLastPoints()
    {
        // 100 → 121 over exactly two years of 365.25 days (730.5 days): √1.21 − 1 = 0.1.
        var m = PerformanceMetrics.Compute(Curve((Start, 100), (Start + (300 * Day), 90), (Start + (730 * Day) + (Day / 2), 121)), [], 365.25);

        Assert.Equal(0.1, m.Cagr!.Value, 1e-12);
        Assert.Equal(0.21, m.TotalReturn, 1e-12);
    }

    [Fact]
    public void MaxDrawdown_FindsTheDeepestFall_WithPeakTroughAndRecoveryDates()
    {
        // Days: 0:100 1:120 2:90 3:110 4:125 5:100 6:130. Falls: 120 → 90 = 25 %, 125 → 100 = 20 %.
        // The deepest: peak day 1, trough day 2, back at 120 or more on day 4.
        var m = PerformanceMetrics.Compute(Curve(100, 120, 90, 110, 125, 100, 130), [], 365.25);

        Assert.Equal(0.25, m.MaxDrawdown, 1e-12);
        Assert.Equal((Start + Day, Start + (2 * Day), Start + (4 * Day)), (m.MaxDrawdownPeakMs!.Value, m.MaxDrawdownTroughMs!.Value, m.MaxDrawdownRecoveryMs!.Value));
    }

    [Fact]
    public void MaxDrawdown_NotRecovered_HasNoRecoveryDate_AndThePeakIsTheLastStepAtIt()
    {
        // 100, 120, 110, 120, 90: the fall to 90 starts from the second 120 (day 3).
        var m = PerformanceMetrics.Compute(Curve(100, 120, 110, 120, 90), [], 365.25);

        Assert.Equal(0.25, m.MaxDrawdown, 1e-12);
        Assert.Equal((Start + (3 * Day), Start + (4 * Day)), (m.MaxDrawdownPeakMs!.Value, m.MaxDrawdownTroughMs!.Value));
        Assert.Null(m.MaxDrawdownRecoveryMs);
        var drawdowns = Curve(100, 120, 110, 120, 90).Select(p => p.Drawdown).ToArray();
        Assert.Equal([0, 0, 10 / 120.0, 0, 0.25], drawdowns);
    }

    [Fact]
    public void RisingCurve_HasNoDrawdown_AndUndefinedRatiosAreNull()
    {
        var m = PerformanceMetrics.Compute(Curve(100, 100, 100), [], 365.25);

        Assert.Equal(0, m.MaxDrawdown);
        Assert.Null(m.MaxDrawdownPeakMs);
        Assert.Null(m.Sharpe); // no variation
        Assert.Null(m.Sortino); // no losing step
        Assert.Null(m.WinRate); // no trades
        Assert.Null(m.ProfitFactor);
        Assert.Equal(0, m.Cagr);
    }

    [Fact]
    public void TradeStatistics_WinRateProfitFactorAndExposure()
    {
        // Wins 30 + 20 = 50, losses 10 + 5 = 15: profit factor 50 / 15; 2 wins of 4.
        var points = new[]
        {
            new EquityPoint(Start, 100, 100, 0, 0, false),
            new EquityPoint(Start + Day, 100, 50, 50, 0, true),
            new EquityPoint(Start + (2 * Day), 100, 50, 50, 0, true),
            new EquityPoint(Start + (3 * Day), 100, 100, 0, 0, false),
        };

        var m = PerformanceMetrics.Compute(EquityCurve.From(points), [TradeWith(30), TradeWith(-10), TradeWith(20), TradeWith(-5)], 365.25);

        Assert.Equal(4, m.Trades);
        Assert.Equal(0.5, m.WinRate);
        Assert.Equal(50.0 / 15, m.ProfitFactor!.Value, 1e-12);
        Assert.Equal(0.5, m.Exposure);
    }

    [Fact]
    public void BarsPerYear_FollowTheTimeframeAndTheMarketsHours()
    {
        Assert.Equal(525_960, Annualization.BarsPerYear(Timeframe.M1));
        Assert.Equal(8_766, Annualization.BarsPerYear(Timeframe.H1, TradingCalendars.Get("24/7")));
        Assert.Equal(365.25, Annualization.BarsPerYear(Timeframe.D1));
        Assert.Equal(12, Annualization.BarsPerYear(Timeframe.Month1));

        // NYSE 2019-2023: 252 + 253 + 252 + 251 + 250 = 1,258 sessions, so 251.6 a year.
        Assert.Equal(251.6, Annualization.BarsPerYear(Timeframe.D1, TradingCalendars.Get("XNYS")), 1e-9);
        var minutes = Annualization.BarsPerYear(Timeframe.M1, TradingCalendars.Get("XNYS"));
        Assert.InRange(minutes, 251 * 390 - 1_000, 251.6 * 390); // full days of 390 minutes less early closes
    }
}
