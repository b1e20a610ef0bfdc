using Gapless.Core.Errors;
using Gapless.Providers.Tests.Binance;
using Gapless.Testing;

namespace Gapless.Providers.Tests.Eodhd;

/// <summary>How the provider uses a shared rate ledger: the daily allowance and the minute limit, under one key.</summary>
[Collection(EodhdFakeCollection.Name)]
public class EodhdProviderSharedRateLimitTests
{
    [Fact]
    public async Task Fetch_WithALedger_SpendsAllowanceAndMinuteBeforeSending_AndReportsTheUsedRequestsAfter()
    {
        var ledger = new RecordingRateLimits();
        await using var rig = await EodhdRig.StartAsync(provider: o => o.SharedRateLimits = ledger);

        await rig.FetchAsync(EodhdRig.Days(1));

        var key = $"eodhd:127.0.0.1:{rig.Fake.BaseUrl.Port}";
        Assert.Equal(key, rig.Provider.Client.SharedKey);
        Assert.Equal(
            [
                $"spend {key} 5 100000/1.00:00:00", // 5 calls of the day's allowance (a window from midnight UTC)
                $"spend {key} 1 990/00:01:00", // one request of the minute limit, less the margin
                $"observe {key} 1 per 00:01:00", // X-RateLimit-Limit 1000, X-RateLimit-Remaining 999
            ],
            ledger.Calls);
    }

    [Fact]
    public async Task Fetch_WhenTheLedgerSaysWaitHours_FailsAtOnceWithoutSending()
    {
        var ledger = new RecordingRateLimits();
        ledger.AnswerSpendsWith(TimeSpan.FromHours(7));
        await using var rig = await EodhdRig.StartAsync(provider: o => o.SharedRateLimits = ledger);

        var e = await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(EodhdRig.Days(1)));

        Assert.Equal(VendorErrorKind.Banned, e.Kind);
        Assert.False(e.IsTransient);
        Assert.Contains("is paused for every worker sharing its rate budget until", e.Message, StringComparison.Ordinal);
        Assert.Contains("daily allowance of 100000 API calls is used up until midnight UTC", e.Message, StringComparison.Ordinal);
        Assert.Empty(rig.Fake.Requests);
    }

    [Fact]
    public async Task Fetch_WhenTheLedgerSaysWaitSeconds_WaitsThenSends()
    {
        var ledger = new RecordingRateLimits();
        ledger.AnswerSpendsWith(TimeSpan.FromMilliseconds(300));
        await using var rig = await EodhdRig.StartAsync(provider: o => o.SharedRateLimits = ledger);
        var started = TimeProvider.System.GetTimestamp();

        await rig.FetchAsync(EodhdRig.Days(1));

        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(300));
        Assert.Single(rig.Fake.Requests);
    }

    [Fact]
    public async Task Fetch_EodhdSaysTheAllowanceIsUsedUp_PausesEveryWorkerUntilMidnightUtc()
    {
        var ledger = new RecordingRateLimits();
        var clock = new ManualTimeProvider(new DateTimeOffset(2024, 6, 3, 12, 0, 0, TimeSpan.Zero));
        await using var rig = await EodhdRig.StartAsync(
            time: clock, fake: o => o.CallsUsedAtStart = o.DailyAllowance, provider: o => o.SharedRateLimits = ledger);

        await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(EodhdRig.Days(1)));

        var (vendor, until) = Assert.Single(ledger.Pauses);
        Assert.Equal(rig.Provider.Client.SharedKey, vendor);
        Assert.Equal(new DateTimeOffset(2024, 6, 4, 0, 0, 0, TimeSpan.Zero), until);
    }
}
