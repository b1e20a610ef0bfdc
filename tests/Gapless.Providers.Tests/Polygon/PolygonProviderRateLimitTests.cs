using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Providers.Tests.Binance;
using Gapless.Testing;

namespace Gapless.Providers.Tests.Polygon;

/// <summary>Rate limits on a clock that jumps over every wait: minutes of a free plan pass in milliseconds.</summary>
public class PolygonProviderRateLimitTests
{
    private static readonly DateTimeOffset Start = new(2024, 6, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Longest = TimeSpan.FromMinutes(5);

    private static Task<PolygonRig> StartAsync(SteppingClock clock, Action<FakeVendors.Polygon.FakePolygonOptions>? fake = null, Action<Gapless.Providers.Polygon.PolygonOptions>? provider = null)
        => PolygonRig.StartAsync(
            fake,
            o =>
            {
                o.AttemptTimeout = TimeSpan.FromHours(1); // never fires: the clock jumps only over shorter waits
                provider?.Invoke(o);
            },
            clock);

    [Fact]
    public async Task Fetch_FreePlan_NeverSendsMoreThanFiveRequestsInAnyMinute()
    {
        var clock = new SteppingClock(Start);
        await using var rig = await StartAsync(
            clock,
            fake: o =>
            {
                o.PageSize = 250;
                o.RequestsPerMinute = 5; // enforced: a sixth request inside a rolling minute gets a 429
            },
            provider: o => o.RequestsPerMinute = 5);
        var chunks = new[] { PolygonRig.Days(2), PolygonRig.Days(2, PolygonRig.Mar4.AddDays(2)) };

        var results = await clock.RunAsync(Task.WhenAll(chunks.Select(c => rig.FetchAsync(c))), Longest);

        BarAssert.Equal(rig.Expected(chunks[0]), results[0]);
        BarAssert.Equal(rig.Expected(chunks[1]), results[1]);
        var log = rig.Fake.Requests;
        Assert.True(log.Count >= 12, $"{log.Count} requests");
        Assert.All(log, r => Assert.Equal(200, r.Status));
        foreach (var r in log)
        {
            Assert.True(log.Count(o => o.At >= r.At && o.At < r.At + TimeSpan.FromMinutes(1)) <= 5, $"more than 5 requests in the minute from {r.At:O}");
        }

        Assert.True(clock.GetUtcNow() - Start >= TimeSpan.FromMinutes(2), "the budget spread the requests over minutes");
    }

    [Fact]
    public async Task Fetch_429_StopsEveryRequestForTheDefaultMinute_ThenRetries()
    {
        var clock = new SteppingClock(Start);
        await using var rig = await StartAsync(
            clock,
            fake: o =>
            {
                o.PageSize = 600;
                o.TooManyRequestsOn.Add(2);
            });
        var calls = new VendorCallLog();

        // Two fetches at once: the 429 one of them meets stops the other too.
        var work = Task.WhenAll(rig.FetchAsync(PolygonRig.Days(2), calls), rig.FetchAsync(PolygonRig.Days(2, PolygonRig.Mar4.AddDays(2)), calls));
        var results = await clock.RunAsync(work, Longest);

        BarAssert.Equal(rig.Expected(PolygonRig.Days(2)), results[0]);
        var log = rig.Fake.Requests;
        var refused = Assert.Single(log, r => r.Status == 429);
        Assert.DoesNotContain(log, r => r.At > refused.At && r.At < refused.At + TimeSpan.FromMinutes(1));
        Assert.Contains(log, r => r.At >= refused.At + TimeSpan.FromMinutes(1));
        BarAssert.Equal(rig.Expected(PolygonRig.Days(2, PolygonRig.Mar4.AddDays(2))), results[1]);
        Assert.Equal(log.Count, calls.Calls.Count);
        Assert.Single(calls.Calls, c => c.HttpStatus == 429);
    }

    [Fact]
    public async Task Fetch_429WithRetryAfterMissing_UsesTheConfiguredPause()
    {
        var clock = new SteppingClock(Start);
        await using var rig = await StartAsync(clock, fake: o => o.TooManyRequestsOn.Add(1), provider: o => o.DefaultRetryAfter = TimeSpan.FromSeconds(90));

        await clock.RunAsync(rig.FetchAsync(PolygonRig.Days(1)), Longest);

        var log = rig.Fake.Requests;
        Assert.Equal(2, log.Count);
        Assert.Equal(TimeSpan.FromSeconds(90), log[1].At - log[0].At);
    }

    [Fact]
    public async Task Fetch_RateLimitedUntilRetriesRunOut_FailsAsRateLimited()
    {
        var clock = new SteppingClock(Start);
        await using var rig = await StartAsync(clock, fake: o => o.TooManyRequestsRate = 1, provider: o => o.MaxRetries = 2);

        var e = await Assert.ThrowsAsync<VendorException>(() => clock.RunAsync(rig.FetchAsync(PolygonRig.Days(1)), Longest));

        Assert.Equal(VendorErrorKind.RateLimited, e.Kind);
        Assert.Equal(3, rig.Fake.Requests.Count);
    }

    [Fact]
    public async Task Fetch_WithALedger_SpendsOneRequestPerSend_UnderAKeyThatIsNotTheKey()
    {
        var ledger = new RecordingRateLimits();
        await using var rig = await PolygonRig.StartAsync(fake: o => o.PageSize = 600, provider: o =>
        {
            o.RequestsPerMinute = 100;
            o.SharedRateLimits = ledger;
        });

        await rig.FetchAsync(PolygonRig.Days(2));

        var key = rig.Provider.Client.SharedKey;
        Assert.Matches("^polygon:key-[0-9a-f]{8}$", key);
        Assert.DoesNotContain(FakeVendors.Polygon.FakePolygon.DefaultApiKey, key, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Repeat($"spend {key} 1 100/00:01:00", rig.Fake.Requests.Count), ledger.Calls);
    }

    [Fact]
    public async Task Fetch_429WithALedger_PausesEveryWorkerForTheMinute()
    {
        var ledger = new RecordingRateLimits();
        await using var rig = await PolygonRig.StartAsync(fake: o => o.TooManyRequestsOn.Add(1), provider: o =>
        {
            o.SharedRateLimits = ledger;
            o.RequestsPerMinute = 5;
            o.MaxRetries = 0;
        });
        var before = TimeProvider.System.GetUtcNow();

        var e = await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(PolygonRig.Days(1)));

        Assert.Equal(VendorErrorKind.RateLimited, e.Kind);
        var (vendor, until) = Assert.Single(ledger.Pauses);
        Assert.Equal(rig.Provider.Client.SharedKey, vendor);
        Assert.InRange(until, before + TimeSpan.FromMinutes(1), TimeProvider.System.GetUtcNow() + TimeSpan.FromMinutes(1));
        Assert.NotNull(rig.Provider.Client.Limiter.PausedUntil);
    }

    [Fact]
    public async Task Fetch_PaidPlan_DoesNotConsultTheLedger()
    {
        var ledger = new RecordingRateLimits();
        await using var rig = await PolygonRig.StartAsync(provider: o =>
        {
            o.SharedRateLimits = ledger;
            o.RequestsPerMinute = null;
        });

        await rig.FetchAsync(PolygonRig.Days(1));

        Assert.Empty(ledger.Calls);
    }

    [Fact]
    public void Capabilities_BudgetMatchesTheOption()
    {
        using var provider = Gapless.Providers.Polygon.PolygonRegistration.CreateProvider(new Gapless.Providers.Polygon.PolygonOptions { RequestsPerMinute = 5 });

        Assert.Equal(new RateBudget(5, TimeSpan.FromMinutes(1)), provider.Capabilities.Budget);
        Assert.Equal(Timeframe.M1, provider.Capabilities.Timeframes[0]);
    }
}
