using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Providers.Alpaca;
using Gapless.Testing;

namespace Gapless.Providers.Tests.Alpaca;

public class AlpacaProviderFailureTests
{
    [Fact]
    public async Task Fetch_ServerErrorsAndTruncatedBodies_RetriedToTheSameData()
    {
        await using var rig = await AlpacaRig.StartAsync(
            fake: o =>
            {
                o.ServerErrorRate = 0.3;
                o.TruncatedBodyRate = 0.2;
                o.MaxPageSize = 200;
            },
            time: TimeProvider.System);
        var calls = new VendorCallLog();
        var range = AlpacaRig.Chunk(5 * 1440);

        var bars = new List<Bar>();
        for (var day = 0; day < 5; day++)
        {
            bars.AddRange(await rig.FetchAsync(AlpacaRig.Chunk(1440, from: AlpacaRig.Jan2.AddDays(day)), calls));
        }

        BarAssert.Equal(rig.Expected(range), bars);
        var requests = rig.Fake.BarsRequests;
        Assert.Contains(requests, r => r.Fault == "5xx");
        Assert.Contains(requests, r => r.Fault == "truncated");
        Assert.Equal(requests.Count, calls.Calls.Count);
        Assert.Contains(calls.Calls, c => c.HttpStatus == 500 && c.Error!.Contains("HTTP 500", StringComparison.Ordinal));
        Assert.Contains(calls.Calls, c => c.HttpStatus == 200 && c.Error?.Contains("malformed", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Fetch_FailingEveryTime_GivesUpAfterMaxRetries()
    {
        await using var rig = await AlpacaRig.StartAsync(fake: o => o.ServerErrorRate = 1, provider: o => o.MaxRetries = 2, time: TimeProvider.System);

        var e = await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(AlpacaRig.Chunk(100)));

        Assert.Equal(VendorErrorKind.ServerError, e.Kind);
        Assert.Equal("alpaca", e.Vendor);
        Assert.Equal(3, rig.Fake.BarsRequests.Count);
    }

    [Fact]
    public async Task Fetch_SlowAnswers_TimedOutAndRetried()
    {
        await using var rig = await AlpacaRig.StartAsync(
            fake: o =>
            {
                o.SlowAnswerRate = 0.4;
                o.SlowDelay = TimeSpan.FromSeconds(10);
            },
            provider: o => o.AttemptTimeout = TimeSpan.FromMilliseconds(300),
            time: TimeProvider.System);
        var calls = new VendorCallLog();

        var bars = new List<Bar>();
        for (var day = 0; day < 4; day++)
        {
            bars.AddRange(await rig.FetchAsync(AlpacaRig.Chunk(1440, from: AlpacaRig.Jan2.AddDays(day)), calls));
        }

        BarAssert.Equal(rig.Expected(AlpacaRig.Chunk(4 * 1440)), bars);
        Assert.Contains(calls.Calls, c => c.HttpStatus is null && c.Error?.Contains("did not answer", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Fetch_UnknownSymbol_FailsAtOnceWithAClearMessage()
    {
        await using var rig = await AlpacaRig.StartAsync(fake: o => o.UnknownSymbols.Add("ZZZZ"));

        var e = await Assert.ThrowsAsync<VendorException>(
            () => rig.FetchAsync(AlpacaRig.Chunk(100), series: new Series("alpaca", "ZZZZ", Timeframe.M1)));

        Assert.Equal(VendorErrorKind.InvalidSymbol, e.Kind);
        Assert.False(e.IsTransient);
        Assert.Equal("alpaca refused symbol 'ZZZZ': invalid symbol: ZZZZ (42210000) (HTTP 422)", e.Message);
        Assert.Single(rig.Fake.Requests);
    }

    [Fact]
    public async Task Fetch_RecentSipDataOnTheFreePlan_FailsAtOnceAsAFinalizationDelay()
    {
        await using var rig = await AlpacaRig.StartAsync(provider: o => o.Feed = AlpacaFeed.Sip);
        var recent = new TimeRange(UtcTime.ToEpochMs(AlpacaRig.Now.AddMinutes(-20)), UtcTime.ToEpochMs(AlpacaRig.Now.AddMinutes(-10)));
        var calls = new VendorCallLog();

        var e = await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(recent, calls));

        Assert.Equal(VendorErrorKind.Unauthorized, e.Kind);
        Assert.False(e.IsTransient);
        Assert.Equal(403, e.HttpStatus);
        Assert.Contains("the plan does not include SIP data of the last 15 minutes", e.Message, StringComparison.Ordinal);
        Assert.Contains("use feed=iex", e.Message, StringComparison.Ordinal);
        Assert.Single(rig.Fake.Requests);
        Assert.Equal(403, Assert.Single(calls.Calls).HttpStatus);
    }

    [Fact]
    public async Task Fetch_SipDataOlderThanTheDelay_IsServed()
    {
        await using var rig = await AlpacaRig.StartAsync(provider: o => o.Feed = AlpacaFeed.Sip);
        var horizon = UtcTime.ToEpochMs(AlpacaRig.Now) - (long)rig.Provider.Capabilities.FinalizationDelay.TotalMilliseconds;
        var chunk = new TimeRange(horizon - (60 * 60_000), Timeframe.M1.Floor(horizon));

        var bars = await rig.FetchAsync(chunk);

        BarAssert.Equal(rig.Expected(chunk), bars);
        Assert.NotEmpty(bars);
        Assert.Equal("sip", Assert.Single(rig.Fake.Requests).Query["feed"]);
    }

    [Fact]
    public async Task Fetch_DailySipBarsRightAfterMidnightUtc_NeverAskIntoTheLastFifteenMinutes()
    {
        // 00:30 UTC: New York midnight of the next day is hours ahead, yet the day's bar is asked for with an end
        // at New York midnight of its own date.
        var clock = new ManualTimeProvider(new DateTimeOffset(2024, 3, 6, 0, 30, 0, TimeSpan.Zero));
        await using var rig = await AlpacaRig.StartAsync(provider: o => o.Feed = AlpacaFeed.Sip, time: clock);
        var series = AlpacaRig.Aapl(Timeframe.D1);
        var days = TimeRange.Of(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 3, 6, 0, 0, 0, TimeSpan.Zero));

        var bars = await rig.FetchAsync(days, series: series);

        Assert.Equal("2024-03-05T05:00:00Z", Assert.Single(rig.Fake.Requests).Query["end"]);
        BarAssert.Equal(rig.Expected(days, series), bars);
    }

    [Fact]
    public async Task Fetch_WithoutKeys_FailsBeforeAnyRequest_NamingTheVariables()
    {
        await using var rig = await AlpacaRig.StartAsync(provider: o => o.SecretKey = null);
        var calls = new VendorCallLog();

        var e = await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(AlpacaRig.Chunk(10), calls));

        Assert.Equal(VendorErrorKind.Unauthorized, e.Kind);
        Assert.Contains("APCA_API_KEY_ID and APCA_API_SECRET_KEY", e.Message, StringComparison.Ordinal);
        Assert.Empty(rig.Fake.Requests);
        Assert.Empty(calls.Calls);
    }

    [Fact]
    public async Task Fetch_WrongKeys_FailAtOnce_NamingTheVariables()
    {
        await using var rig = await AlpacaRig.StartAsync(provider: o => o.SecretKey = "not-the-secret");

        var e = await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(AlpacaRig.Chunk(10)));

        Assert.Equal(VendorErrorKind.Unauthorized, e.Kind);
        Assert.Equal(403, e.HttpStatus);
        Assert.StartsWith("alpaca refused the API keys (HTTP 403: forbidden.); set APCA_API_KEY_ID and APCA_API_SECRET_KEY", e.Message, StringComparison.Ordinal);
        Assert.Single(rig.Fake.Requests);
        Assert.False(rig.Fake.Requests[0].Authenticated);
    }

    [Fact]
    public async Task Fetch_NothingListening_FailsAsUnreachableNamingTheBaseUrl()
    {
        var options = new AlpacaOptions
        {
            BaseUrl = new Uri("http://127.0.0.1:1"),
            KeyId = "id",
            SecretKey = "secret",
            MaxRetries = 1,
            BaseDelay = TimeSpan.FromMilliseconds(1),
        };
        using var provider = AlpacaRegistration.CreateProvider(options);
        var calls = new VendorCallLog();

        var e = await Assert.ThrowsAsync<VendorException>(() => provider.FetchAsync(AlpacaRig.Aapl(), AlpacaRig.Chunk(10), calls));

        Assert.Equal(VendorErrorKind.Unreachable, e.Kind);
        Assert.StartsWith("cannot reach alpaca at http://127.0.0.1:1 ", e.Message, StringComparison.Ordinal);
        Assert.Contains("GAPLESS_ALPACA_URL", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, calls.Calls.Count);
    }

    [Fact]
    public async Task Fetch_Cancelled_StopsWithoutAVendorError()
    {
        await using var rig = await AlpacaRig.StartAsync(
            fake: o =>
            {
                o.SlowAnswerRate = 1;
                o.SlowDelay = TimeSpan.FromSeconds(10);
            },
            time: TimeProvider.System);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => rig.Provider.FetchAsync(AlpacaRig.Aapl(), AlpacaRig.Chunk(10), new VendorCallLog(), cts.Token));
    }
}
