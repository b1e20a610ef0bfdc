using Gapless.Core.Calendars;
using Gapless.Core.Model;

namespace Gapless.Backtesting.Metrics;

/// <summary>
/// How many equity-curve steps make a year, to annualise per-step volatility, Sharpe and Sortino
/// (<c>× √barsPerYear</c>). The assumption, stated once:
/// <list type="bullet">
/// <item><c>24/7</c> markets (crypto; also the default when no calendar is given): every bar of the calendar trades,
/// so a year is 365.25 days of bars: 525,960 for 1m, 8,766 for 1h, 365.25 for 1d, 12 for 1M.</item>
/// <item>Session calendars (<c>XNYS</c>, <c>XNYS-extended</c>): only bars inside sessions exist, so a year is the
/// calendar's own count of expected bars, averaged over the five full years 2019–2023 (holidays and early closes
/// included): about 251.6 sessions, so ≈ 97,900 bars of 1m and ≈ 251.6 of 1d on XNYS regular hours.</item>
/// </list>
/// Returns over closed periods (overnight, weekends) fall into the first bar after them, as they do in practice.
/// </summary>
public static class Annualization
{
    private const double DaysPerYear = 365.25;
    private const long Day = 86_400_000;

    private static readonly TimeRange ReferenceYears = new(
        UtcTime.ToEpochMs(new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero)),
        UtcTime.ToEpochMs(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)));

    /// <summary>Bars of <paramref name="timeframe"/> per year under <paramref name="calendar"/> (null: <c>24/7</c>).</summary>
    public static double BarsPerYear(Timeframe timeframe, ITradingCalendar? calendar = null)
    {
        ArgumentNullException.ThrowIfNull(timeframe);
        if (calendar is null || calendar.Name == TradingCalendars.AlwaysOpen)
        {
            return timeframe.IsFixedLength ? DaysPerYear * Day / timeframe.NominalLengthMs : 12;
        }

        return calendar.CountExpected(timeframe, ReferenceYears) / 5.0;
    }
}
