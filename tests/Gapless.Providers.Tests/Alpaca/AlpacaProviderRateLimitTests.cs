using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Providers.Tests.Binance;
using Gapless.Testing;

namespace Gapless.Providers.Tests.Alpaca;

public class AlpacaProviderRateLimitTests
{
    private static readonly DateTimeOffset TenPastThree = new(2024, 6, 3, 15, 0, 10, TimeSpan.Zero);

    [Fact]
    public async Task Fetch_429_NothingIsSentBeforeTheReset()
    {
        var clock = new ManualTimeProvider(TenPastThree);
        await using var rig = await AlpacaRig.StartAsync(
            fake: o =>
            {
                o.TooManyRequestsRate = 0.3;
                o.InjectedPauseSeconds = 30;
            },
            time: clock);
        var chunks = Enumerable.Range(0, 8).Select(day => AlpacaRig.Chunk(1440, from: AlpacaRig.Jan2.AddDays(day))).ToList();

        var bars = await ClockStepper.RunAsync(clock, FetchInTurnAsync(rig, chunks), TimeSpan.FromSeconds(1));

        BarAssert.Equal(rig.Expected(new TimeRange(chunks[0].FromMs, chunks[^1].ToMs)), bars);
        var log = rig.Fake.Requests;
        var pauses = log.Where(r => r.Status == 429).Select(r => (From: r.RetryAfterFrom!.Value, Until: r.RetryAfterUntil!.Value)).ToList();
        Assert.NotEmpty(pauses);
        Assert.All(pauses, p => Assert.True(p.Until - p.From >= TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain(log, r => pauses.Any(p => r.At > p.From && r.At < p.Until));
        Assert.DoesNotContain(log, r => r.InsideRetryAfter);
    }

    [Fact]
    public async Task Fetch_ConcurrentFetchesOverTheLimit_AllWaitForTheReset()
    {
        // Three requests a minute; six fetches sent at once before the provider has seen any header.
        var clock = new ManualTimeProvider(TenPastThree);
        await using var rig = await AlpacaRig.StartAsync(fake: o => o.RequestsPerWindow = 3, provider: o => o.SafetyMargin = 0, time: clock);
        var chunks = Enumerable.Range(0, 6).Select(day => AlpacaRig.Chunk(1440, from: AlpacaRig.Jan2.AddDays(day))).ToList();

        var fetches = Task.WhenAll(chunks.Select(c => rig.FetchAsync(c)));
        await ClockStepper.UntilAsync(() => rig.Fake.Requests.Count >= 6);
        var results = await ClockStepper.RunAsync(clock, fetches, TimeSpan.FromSeconds(1));

        Assert.Equal(chunks.Select(c => rig.Expected(c)), results);
        var log = rig.Fake.Requests;
        var limited = log.Where(r => r.Status == 429).ToList();
        Assert.Equal(3, limited.Count);
        var reset = limited[0].RetryAfterUntil!.Value;
        Assert.Equal(new DateTimeOffset(2024, 6, 3, 15, 1, 0, TimeSpan.Zero), reset);
        Assert.All(log.Skip(6), r => Assert.True(r.At >= reset, $"sent at {r.At:O}, before the reset at {reset:O}"));
        Assert.DoesNotContain(log, r => r.InsideRetryAfter);
        Assert.Equal(3, rig.Provider.Client.Limiter.Limit); // learnt from X-RateLimit-Limit
    }

    [Fact]
    public async Task Fetch_LimitLearntFromTheHeaders_IsNeverExceeded()
    {
        var clock = new ManualTimeProvider(TenPastThree);
        await using var rig = await AlpacaRig.StartAsync(fake: o => o.RequestsPerWindow = 5, provider: o => o.SafetyMargin = 1, time: clock);
        await rig.FetchAsync(AlpacaRig.Chunk(10)); // learns the limit
        var chunks = Enumerable.Range(0, 12).Select(day => AlpacaRig.Chunk(1440, from: AlpacaRig.Jan2.AddDays(day))).ToList();

        var results = await ClockStepper.RunAsync(clock, Task.WhenAll(chunks.Select(c => rig.FetchAsync(c))), TimeSpan.FromSeconds(1));

        Assert.Equal(chunks.Select(c => rig.Expected(c)), results);
        var log = rig.Fake.Requests;
        Assert.DoesNotContain(log, r => r.Status != 200);
        var perWindow = log.GroupBy(r => r.At.ToUnixTimeSeconds() / 60).Select(g => g.Count()).ToList();
        Assert.All(perWindow, n => Assert.True(n <= 5, $"{n} requests in one window"));
        Assert.True(perWindow.Count >= 3, "13 requests at 4 a window need at least three windows");
    }

    [Fact]
    public async Task Fetch_RequestsSpentElsewhere_AreLearntFromTheRemainingHeader()
    {
        var clock = new ManualTimeProvider(TenPastThree);
        await using var rig = await AlpacaRig.StartAsync(fake: o => o.RequestsPerWindow = 5, provider: o => o.SafetyMargin = 0, time: clock);

        // Another tool with the same keys spends 3 of this window's 5.
        using (var other = new HttpClient())
        {
            for (var i = 0; i < 3; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(rig.Fake.BaseUrl, "/v2/stocks/AAPL/bars?timeframe=1Day&start=2024-01-02&end=2024-01-03"));
                request.Headers.Add("APCA-API-KEY-ID", rig.Options.KeyId);
                request.Headers.Add("APCA-API-SECRET-KEY", rig.Options.SecretKey);
                using var answer = await other.SendAsync(request);
                Assert.Equal((4 - i).ToString(System.Globalization.CultureInfo.InvariantCulture), answer.Headers.GetValues("X-RateLimit-Remaining").Single());
            }
        }

        var chunks = Enumerable.Range(0, 5).Select(day => AlpacaRig.Chunk(1440, from: AlpacaRig.Jan2.AddDays(day))).ToList();
        var bars = await ClockStepper.RunAsync(clock, FetchInTurnAsync(rig, chunks), TimeSpan.FromSeconds(1));

        // Counting only its own requests, the provider would have sent all 5 into the 2 left.
        BarAssert.Equal(rig.Expected(new TimeRange(chunks[0].FromMs, chunks[^1].ToMs)), bars);
        Assert.DoesNotContain(rig.Fake.Requests, r => r.Status != 200);
    }

    [Fact]
    public async Task Fetch_WithALedger_SpendsEachRequestThere_AndReportsTheUsedCount()
    {
        var ledger = new RecordingRateLimits();
        await using var rig = await AlpacaRig.StartAsync(provider: o => o.SharedRateLimits = ledger);

        await rig.FetchAsync(AlpacaRig.Chunk(10));

        var key = $"alpaca:127.0.0.1:{rig.Fake.BaseUrl.Port}";
        Assert.Equal(key, rig.Provider.Client.Shared.Key);
        Assert.Equal([$"spend {key} 1 198/00:01:00", $"observe {key} 1 per 00:01:00"], ledger.Calls);
    }

    [Fact]
    public async Task Fetch_429WithALedger_PausesEveryWorkerUntilTheReset()
    {
        var ledger = new RecordingRateLimits();
        await using var rig = await AlpacaRig.StartAsync(
            fake: o =>
            {
                o.TooManyRequestsRate = 1;
                o.InjectedPauseSeconds = 20;
            },
            provider: o =>
            {
                o.SharedRateLimits = ledger;
                o.MaxRetries = 0;
            });

        var e = await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(AlpacaRig.Chunk(10)));

        Assert.Equal(VendorErrorKind.RateLimited, e.Kind);
        var (vendor, until) = Assert.Single(ledger.Pauses);
        Assert.Equal($"alpaca:127.0.0.1:{rig.Fake.BaseUrl.Port}", vendor);
        Assert.Equal(rig.Fake.Requests[0].RetryAfterUntil, until);
        Assert.Equal(until, rig.Provider.Client.Limiter.PausedUntil);
    }

    [Fact]
    public async Task Fetch_WhenTheLedgerBreaks_FailsNamingTheSharedBudget_AndSendsNothing()
    {
        var ledger = new RecordingRateLimits { Failure = new InvalidOperationException("pool exhausted") };
        await using var rig = await AlpacaRig.StartAsync(provider: o => o.SharedRateLimits = ledger);

        var error = await Assert.ThrowsAsync<GaplessException>(() => rig.FetchAsync(AlpacaRig.Chunk(10)));

        Assert.Equal($"alpaca (alpaca:127.0.0.1:{rig.Fake.BaseUrl.Port}): the shared rate budget failed (pool exhausted), so nothing is sent", error.Message);
        Assert.Empty(rig.Fake.Requests);
    }

    private static async Task<List<Bar>> FetchInTurnAsync(AlpacaRig rig, IEnumerable<TimeRange> chunks)
    {
        var bars = new List<Bar>();
        foreach (var chunk in chunks)
        {
            bars.AddRange(await rig.FetchAsync(chunk));
        }

        return bars;
    }
}
