using Gapless.Core.Errors;
using Gapless.Core.Ports;
using Gapless.FakeVendors.Binance;

namespace Gapless.Providers.Tests.Binance;

/// <summary>How the provider uses a shared rate ledger (recorded here; the real one is in <see cref="SharedRateLimitAcceptanceTests"/>).</summary>
public class BinanceProviderSharedRateLimitTests
{
    [Fact]
    public async Task Fetch_WithALedger_SpendsEachRequestThereBeforeSending_AndReportsTheUsedWeightAfter()
    {
        var ledger = new RecordingRateLimits();
        // An hour-long limit, published in exchangeInfo only: the first request spends under the default budget.
        await using var rig = await BinanceRig.StartAsync(
            fake: o => o.RateLimits.Add(FakeRateLimit.Weight(3000, "HOUR")),
            provider: o => o.SharedRateLimits = ledger);

        await rig.FetchAsync(BinanceRig.Chunk(0, 10));

        var key = $"binance:127.0.0.1:{rig.Fake.BaseUrl.Port}";
        Assert.Equal(key, rig.Provider.Client.SharedKey);
        Assert.Equal(
            [
                $"spend {key} 20 5940/00:01:00", // default 6000 per minute, less the 60 margin; no -1M header to report
                $"spend {key} 2 2940/01:00:00",
                $"observe {key} 22 per 01:00:00",
            ],
            ledger.Calls);
    }

    [Fact]
    public async Task Fetch_WhenTheLedgerSaysWait_WaitsThatLongThenAsksAgain_BeforeSending()
    {
        var ledger = new RecordingRateLimits();
        ledger.AnswerSpendsWith(TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(100));
        await using var rig = await BinanceRig.StartAsync(provider: o => o.SharedRateLimits = ledger);
        var started = TimeProvider.System.GetTimestamp();

        await rig.FetchAsync(BinanceRig.Chunk(0, 10));

        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(400));
        Assert.Equal(3, ledger.Calls.Count(c => c.StartsWith("spend", StringComparison.Ordinal) && c.Contains(" 20 ", StringComparison.Ordinal))); // exchangeInfo asked three times
        Assert.Equal(2, rig.Fake.Requests.Count);
    }

    [Fact]
    public async Task Fetch_WhenTheLedgerFails_FailsWithItsMessage_AndSendsNothing()
    {
        var ledger = new RecordingRateLimits { Failure = new StoreException("The shared rate budget of binance:x could not be spent, so nothing is sent to it: Cannot reach the PostgreSQL server") };
        await using var rig = await BinanceRig.StartAsync(provider: o => o.SharedRateLimits = ledger);

        var error = await Assert.ThrowsAsync<StoreException>(() => rig.FetchAsync(BinanceRig.Chunk(0, 10)));

        Assert.Same(ledger.Failure, error);
        Assert.Empty(rig.Fake.Requests);
        Assert.Single(ledger.Calls); // not retried: the store said what is wrong
    }

    [Fact]
    public async Task Fetch_WhenTheLedgerBreaksUnexpectedly_FailsNamingTheSharedBudget()
    {
        var ledger = new RecordingRateLimits { Failure = new InvalidOperationException("pool exhausted") };
        await using var rig = await BinanceRig.StartAsync(provider: o => o.SharedRateLimits = ledger);

        var error = await Assert.ThrowsAsync<GaplessException>(() => rig.FetchAsync(BinanceRig.Chunk(0, 10)));

        Assert.Equal($"binance (binance:127.0.0.1:{rig.Fake.BaseUrl.Port}): the shared rate budget failed (pool exhausted), so nothing is sent", error.Message);
        Assert.Empty(rig.Fake.Requests);
    }

    [Fact]
    public async Task Fetch_AnsweredButTheLedgerCannotRecordTheUsedWeight_FailsAndLogsTheCall()
    {
        var ledger = new RecordingRateLimits { ObserveFailure = new StoreException("The shared rate budget of binance:x could not be updated") };
        await using var rig = await BinanceRig.StartAsync(provider: o => o.SharedRateLimits = ledger);
        var calls = new VendorCallLog();

        var error = await Assert.ThrowsAsync<StoreException>(() => rig.FetchAsync(BinanceRig.Chunk(0, 10), calls));

        Assert.Same(ledger.ObserveFailure, error);
        Assert.Single(rig.Fake.Requests); // exchangeInfo, answered; nothing after it
        var call = Assert.Single(calls.Calls);
        Assert.Equal((200, error.Message), (call.HttpStatus, call.Error));
    }

    [Fact]
    public async Task Fetch_429_PausesEveryWorkerUntilItsRetryAfter()
    {
        var ledger = new RecordingRateLimits();
        await using var rig = await BinanceRig.StartAsync(
            fake: o =>
            {
                o.TooManyRequestsRate = 1;
                o.InjectedRetryAfterSeconds = 3;
            },
            provider: o =>
            {
                o.SharedRateLimits = ledger;
                o.MaxRetries = 0;
            });
        var before = TimeProvider.System.GetUtcNow();

        var error = await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(BinanceRig.Chunk(0, 10)));

        Assert.Equal(VendorErrorKind.RateLimited, error.Kind);
        var (vendor, until) = Assert.Single(ledger.Pauses);
        Assert.Equal(rig.Provider.Client.SharedKey, vendor);
        Assert.InRange(until, before + TimeSpan.FromSeconds(3), TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Fetch_418_PausesEveryWorkerUntilTheBanEnds()
    {
        var ledger = new RecordingRateLimits();
        var bannedUntil = DateTimeOffset.FromUnixTimeMilliseconds(TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() + 120_000);
        await using var rig = await BinanceRig.StartAsync(fake: o => o.BannedUntil = bannedUntil, provider: o => o.SharedRateLimits = ledger);

        var error = await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(BinanceRig.Chunk(0, 10)));

        Assert.Equal(VendorErrorKind.Banned, error.Kind);
        Assert.Equal((rig.Provider.Client.SharedKey, bannedUntil), Assert.Single(ledger.Pauses));
    }

    [Fact]
    public async Task Fetch_WhenAnotherWorkerWasBanned_FailsAtOnceInsteadOfSleepingThroughIt()
    {
        var ledger = new RecordingRateLimits();
        ledger.AnswerSpendsWith(TimeSpan.FromMinutes(90));
        await using var rig = await BinanceRig.StartAsync(provider: o => o.SharedRateLimits = ledger);

        var error = await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(BinanceRig.Chunk(0, 10)));

        Assert.Equal(VendorErrorKind.Banned, error.Kind);
        Assert.Contains("is paused for every worker sharing its rate budget until", error.Message, StringComparison.Ordinal);
        Assert.Empty(rig.Fake.Requests);
    }
}
