using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.FakeVendors.Polygon;
using Gapless.Testing;

namespace Gapless.Providers.Tests.Polygon;

public class PolygonProviderFailureTests
{
    [Fact]
    public async Task Fetch_NotAuthorized_FailsAtOnceNamingThePlanProblem()
    {
        await using var rig = await PolygonRig.StartAsync(fake: o => o.NotAuthorized.Add(new FakePolygonRefusal("AAPL", "minute")));
        var calls = new VendorCallLog();

        var e = await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(PolygonRig.Days(1), calls));

        Assert.Equal(VendorErrorKind.Unauthorized, e.Kind);
        Assert.False(e.IsTransient);
        Assert.Equal(403, e.HttpStatus);
        Assert.StartsWith("polygon refused AAPL 1m because your Polygon plan does not include this data (NOT_AUTHORIZED: You are not entitled to this data.", e.Message, StringComparison.Ordinal);
        Assert.Single(rig.Fake.Requests);
        Assert.Equal(403, Assert.Single(calls.Calls).HttpStatus);

        // The plan covers daily bars: only what it lacks is refused.
        Assert.NotEmpty(await rig.FetchAsync(PolygonRig.Days(7), series: PolygonRig.Aapl(Timeframe.D1)));
    }

    [Fact]
    public async Task Fetch_HistoryOlderThanThePlan_IsAPlanRefusal()
    {
        await using var rig = await PolygonRig.StartAsync(fake: o => o.OldestAllowed = PolygonRig.Mar4.AddDays(1));

        var e = await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(PolygonRig.Days(1)));

        Assert.Equal(VendorErrorKind.Unauthorized, e.Kind);
        Assert.Contains("Your plan doesn't include this data timeframe", e.Message, StringComparison.Ordinal);
        Assert.Single(rig.Fake.Requests);
    }

    [Fact]
    public async Task Fetch_ServerErrorsAndTruncatedBodies_RetriedToTheSameData()
    {
        await using var rig = await PolygonRig.StartAsync(fake: o =>
        {
            o.Seed = 3;
            o.PageSize = 500;
            o.ServerErrorRate = 0.3;
            o.TruncatedBodyRate = 0.2;
        });
        var calls = new VendorCallLog();

        var bars = await rig.FetchAsync(PolygonRig.Days(3), calls);

        BarAssert.Equal(rig.Expected(PolygonRig.Days(3)), bars);
        var log = rig.Fake.Requests;
        Assert.Contains(log, r => r.Fault == "5xx");
        Assert.Contains(log, r => r.Fault == "truncated");
        Assert.Equal(log.Count, calls.Calls.Count);
        Assert.Contains(calls.Calls, c => c.HttpStatus is 500 or 502 && c.Error?.Contains("polygon failed on", StringComparison.Ordinal) == true);
        Assert.Contains(calls.Calls, c => c.HttpStatus == 200 && c.Error?.Contains("malformed", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Fetch_OneServerError_IsRetriedOnce()
    {
        await using var rig = await PolygonRig.StartAsync(fake: o => o.ServerErrorOn.Add(1));
        var calls = new VendorCallLog();

        var bars = await rig.FetchAsync(PolygonRig.Days(1), calls);

        BarAssert.Equal(rig.Expected(PolygonRig.Days(1)), bars);
        Assert.Equal([503, 200], rig.Fake.Requests.Select(r => r.Status));
        Assert.Equal([503, 200], calls.Calls.Select(c => c.HttpStatus ?? 0));
    }

    [Fact]
    public async Task Fetch_FailingEveryTime_GivesUpAfterMaxRetries()
    {
        await using var rig = await PolygonRig.StartAsync(fake: o => o.ServerErrorRate = 1, provider: o => o.MaxRetries = 2);

        var e = await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(PolygonRig.Days(1)));

        Assert.Equal(VendorErrorKind.ServerError, e.Kind);
        Assert.Equal(3, rig.Fake.Requests.Count);
    }

    [Fact]
    public async Task Fetch_SlowAnswers_TimedOutAndRetried()
    {
        await using var rig = await PolygonRig.StartAsync(
            fake: o =>
            {
                o.Seed = 5;
                o.PageSize = 800;
                o.SlowAnswerRate = 0.4;
                o.SlowDelay = TimeSpan.FromSeconds(10);
            },
            provider: o => o.AttemptTimeout = TimeSpan.FromMilliseconds(400));
        var calls = new VendorCallLog();

        var bars = await rig.FetchAsync(PolygonRig.Days(2), calls);

        BarAssert.Equal(rig.Expected(PolygonRig.Days(2)), bars);
        Assert.Contains(calls.Calls, c => c.HttpStatus is null && c.Error?.Contains("did not answer", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Fetch_404FromAWrongBaseUrl_FailsAtOnceNamingTickerAndBaseUrl()
    {
        await using var rig = await PolygonRig.StartAsync();
        using var provider = Gapless.Providers.Polygon.PolygonRegistration.CreateProvider(new Gapless.Providers.Polygon.PolygonOptions
        {
            BaseUrl = new Uri(rig.Fake.BaseUrl, "/proxy/"),
            ApiKey = FakePolygon.DefaultApiKey,
        });

        var e = await Assert.ThrowsAsync<VendorException>(() => provider.FetchAsync(PolygonRig.Aapl(), PolygonRig.Days(1), new VendorCallLog()));

        Assert.Equal(VendorErrorKind.InvalidSymbol, e.Kind);
        Assert.False(e.IsTransient);
        Assert.Contains("check the ticker 'AAPL'", e.Message, StringComparison.Ordinal);
        Assert.Contains("--polygon-url or GAPLESS_POLYGON_URL", e.Message, StringComparison.Ordinal);
        Assert.Equal("/proxy/v2/aggs/ticker/AAPL", string.Join('/', Assert.Single(rig.Fake.Requests).Path.Split('/').Take(6)));
    }
}
