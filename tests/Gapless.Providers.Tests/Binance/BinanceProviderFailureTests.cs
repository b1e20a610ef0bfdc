using Gapless.Core.Errors;
using Gapless.Core.Ports;
using Gapless.Providers.Binance;

namespace Gapless.Providers.Tests.Binance;

public class BinanceProviderFailureTests
{
    [Fact]
    public async Task Fetch_ServerErrorsAndTruncatedBodies_RetriedToTheSameData()
    {
        await using var rig = await BinanceRig.StartAsync(fake: o =>
        {
            o.ServerErrorRate = 0.3;
            o.TruncatedBodyRate = 0.3;
        });
        var calls = new VendorCallLog();

        var bars = new List<Gapless.Core.Model.Bar>();
        for (var i = 0; i < 8; i++)
        {
            bars.AddRange(await rig.FetchAsync(BinanceRig.Chunk(i), calls));
        }

        Assert.Equal(rig.Expected(new(BinanceRig.Chunk(0).FromMs, BinanceRig.Chunk(7).ToMs)), bars);
        var klines = rig.Fake.KlinesRequests;
        Assert.Contains(klines, r => r.Fault == "5xx");
        Assert.Contains(klines, r => r.Fault == "truncated");
        Assert.Equal(rig.Fake.Requests.Count, calls.Calls.Count);
        Assert.Contains(calls.Calls, c => c.HttpStatus == 503 && c.Error?.Contains("HTTP 503", StringComparison.Ordinal) == true);
        Assert.Contains(calls.Calls, c => c.HttpStatus == 200 && c.Error?.Contains("malformed", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Fetch_SlowAnswers_TimedOutAndRetried()
    {
        await using var rig = await BinanceRig.StartAsync(
            fake: o =>
            {
                o.SlowAnswerRate = 0.4;
                o.SlowDelay = TimeSpan.FromSeconds(10);
            },
            provider: o => o.AttemptTimeout = TimeSpan.FromMilliseconds(300));
        var calls = new VendorCallLog();

        var bars = new List<Gapless.Core.Model.Bar>();
        for (var i = 0; i < 4; i++)
        {
            bars.AddRange(await rig.FetchAsync(BinanceRig.Chunk(i), calls));
        }

        Assert.Equal(rig.Expected(new(BinanceRig.Chunk(0).FromMs, BinanceRig.Chunk(3).ToMs)), bars);
        Assert.Contains(calls.Calls, c => c.HttpStatus is null && c.Error?.Contains("did not answer", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Fetch_FailingEveryTime_GivesUpAfterMaxRetries()
    {
        await using var rig = await BinanceRig.StartAsync(fake: o => o.ServerErrorRate = 1, provider: o => o.MaxRetries = 2);

        var e = await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(BinanceRig.Chunk(0)));

        Assert.Equal(VendorErrorKind.ServerError, e.Kind);
        Assert.Equal(3, rig.Fake.KlinesRequests.Count);
    }

    [Fact]
    public async Task Fetch_RestrictedLocation_FailsAtOnceNamingTheMarketDataHost()
    {
        await using var rig = await BinanceRig.StartAsync(fake: o => o.Restricted = true);

        var e = await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(BinanceRig.Chunk(0)));

        Assert.Equal(VendorErrorKind.Restricted, e.Kind);
        Assert.Equal(451, e.HttpStatus);
        Assert.Contains("https://data-api.binance.vision", e.Message, StringComparison.Ordinal);
        Assert.Contains("GAPLESS_BINANCE_URL", e.Message, StringComparison.Ordinal);
        Assert.Single(rig.Fake.Requests);
    }

    [Fact]
    public async Task Fetch_Banned_ReportsUntilWhenAndSendsNothingMore()
    {
        var until = DateTimeOffset.FromUnixTimeMilliseconds(TimeProvider.System.GetUtcNow().AddMinutes(10).ToUnixTimeMilliseconds());
        await using var rig = await BinanceRig.StartAsync(fake: o => o.BannedUntil = until);

        var first = await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(BinanceRig.Chunk(0)));
        var second = await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(BinanceRig.Chunk(1)));

        Assert.Equal(VendorErrorKind.Banned, first.Kind);
        Assert.Contains($"until {Gapless.Core.Model.UtcTime.ToIso(until.ToUnixTimeMilliseconds())}", first.Message, StringComparison.Ordinal);
        Assert.Equal(VendorErrorKind.Banned, second.Kind);
        Assert.Single(rig.Fake.Requests);
    }

    [Fact]
    public async Task Fetch_NothingListening_FailsAsUnreachableNamingTheBaseUrl()
    {
        var options = new BinanceOptions { BaseUrl = new Uri("http://127.0.0.1:1"), MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(1) };
        using var provider = BinanceRegistration.CreateProvider(options);
        var calls = new VendorCallLog();

        var e = await Assert.ThrowsAsync<VendorException>(() => provider.FetchAsync(BinanceRig.Btc(), BinanceRig.Chunk(0), calls));

        Assert.Equal(VendorErrorKind.Unreachable, e.Kind);
        Assert.StartsWith("cannot reach binance at http://127.0.0.1:1 ", e.Message, StringComparison.Ordinal);
        Assert.Contains("GAPLESS_BINANCE_URL", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, calls.Calls.Count);
        Assert.All(calls.Calls, c => Assert.Null(c.HttpStatus));
    }

    [Fact]
    public async Task Fetch_Cancelled_StopsWithoutAVendorError()
    {
        await using var rig = await BinanceRig.StartAsync(fake: o =>
        {
            o.SlowAnswerRate = 1;
            o.SlowDelay = TimeSpan.FromSeconds(10);
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => rig.Provider.FetchAsync(BinanceRig.Btc(), BinanceRig.Chunk(0), new VendorCallLog(), cts.Token));
    }
}
