using Gapless.Core.Calendars;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Core.Sync;

namespace Gapless.Core.Tests.Sync;

public sealed class FinalizationHorizonTests
{
    private static readonly ITradingCalendar Extended = TradingCalendars.Get("XNYS-extended");

    private static DateTimeOffset Utc(int day, int hour, int minute) => new(2024, 1, day, hour, minute, 0, TimeSpan.Zero);

    private static long Ms(int day, int hour, int minute) => UtcTime.ToEpochMs(Utc(day, hour, minute));

    private static ProviderCapabilities Delay(TimeSpan delay, bool afterSessionClose = false)
        => new(1000, 1, null, Timeframe.All, delay, "XNYS-extended", FinalizesAfterSessionClose: afterSessionClose);

    [Fact]
    public void Of_AlwaysOpen_IsNowMinusTheDelayFlooredToABar()
    {
        var horizon = FinalizationHorizon.Of(Utc(3, 12, 7), Timeframe.M5, Delay(TimeSpan.FromMinutes(1)), TradingCalendars.Get("24/7"));

        Assert.Equal(Ms(3, 12, 5), horizon);
    }

    [Fact]
    public void Of_DailyBarWhoseExtendedSessionRunsPastUtcMidnight_IsNotFinalUntilTheSessionCloses()
    {
        // January 2's extended session ends at 20:00 New York = 01:00 UTC on January 3.
        var during = FinalizationHorizon.Of(Utc(3, 0, 30), Timeframe.D1, Delay(TimeSpan.FromMinutes(15)), Extended);
        var after = FinalizationHorizon.Of(Utc(3, 1, 30), Timeframe.D1, Delay(TimeSpan.FromMinutes(15)), Extended);

        Assert.Equal(Ms(2, 0, 0), during);
        Assert.Equal(Ms(3, 0, 0), after);
    }

    [Fact]
    public void Of_PublishedHoursAfterTheClose_StopsAtTheStartOfTheSessionNotYetPublished()
    {
        var caps = Delay(TimeSpan.FromHours(3), afterSessionClose: true);

        var anHourAfterTheClose = FinalizationHorizon.Of(Utc(3, 2, 0), Timeframe.M1, caps, Extended);
        var fourHoursAfter = FinalizationHorizon.Of(Utc(3, 5, 0), Timeframe.M1, caps, Extended);
        var duringTheNextSession = FinalizationHorizon.Of(Utc(3, 15, 0), Timeframe.M1, caps, Extended);

        Assert.Equal(Ms(2, 9, 0), anHourAfterTheClose); // January 2's session (09:00–01:00 UTC) is not published yet
        Assert.Equal(Ms(3, 2, 0), fourHoursAfter);
        Assert.Equal(Ms(3, 9, 0), duringTheNextSession);
    }
}
