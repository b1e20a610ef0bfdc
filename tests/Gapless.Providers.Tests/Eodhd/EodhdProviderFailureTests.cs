using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Providers.Eodhd;
using Gapless.Testing;

namespace Gapless.Providers.Tests.Eodhd;

[Collection(EodhdFakeCollection.Name)]
public class EodhdProviderFailureTests
{
    /// <summary>A token whose URL-escaped form differs from itself, so both forms can be looked for.</summary>
    private const string Secret = "s3cr3t+tok/en=42";

    private static readonly DateTimeOffset Noon = new(2024, 6, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Fetch_WrongToken_FailsAtOnceNamingTheVariable_WithoutTheToken()
    {
        await using var rig = await EodhdRig.StartAsync(provider: o => o.ApiToken = "wrong-" + Secret);
        var calls = new VendorCallLog();

        var e = await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(EodhdRig.Days(1), calls));

        Assert.Equal(VendorErrorKind.Unauthorized, e.Kind);
        Assert.Equal(401, e.HttpStatus);
        Assert.Equal("eodhd refused the API token (HTTP 401: Unauthenticated); set EODHD_API_TOKEN to the API token of your EODHD account", e.Message);
        Assert.Single(rig.Fake.Requests);
        AssertNoSecret(Secret, [e], calls);
    }

    [Fact]
    public async Task Fetch_WithoutAToken_FailsBeforeAnyRequest()
    {
        await using var rig = await EodhdRig.StartAsync(provider: o => o.ApiToken = "  ");

        var e = await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(EodhdRig.Days(1)));

        Assert.Equal(VendorErrorKind.Unauthorized, e.Kind);
        Assert.StartsWith("eodhd needs an API token: set EODHD_API_TOKEN", e.Message, StringComparison.Ordinal);
        Assert.Empty(rig.Fake.Requests);
    }

    [Fact]
    public async Task TheToken_NeverAppearsInTheCallLogOrAnyError()
    {
        var calls = new VendorCallLog();
        var errors = new List<Exception>();
        await using (var rig = await EodhdRig.StartAsync(fake: o => o.ApiToken = Secret))
        {
            await rig.FetchAsync(EodhdRig.Days(1), calls);
            Assert.Contains(Uri.EscapeDataString(Secret), rig.Fake.Requests[0].PathAndQuery, StringComparison.Ordinal); // it was sent
            errors.Add(await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(EodhdRig.Days(1), calls, new Series("eodhd", "NOPE.XX", Timeframe.M1))));
        }

        await using (var rig = await EodhdRig.StartAsync(fake: o => { o.ApiToken = Secret; o.ServerErrorRate = 1; }, provider: o => o.MaxRetries = 1))
        {
            errors.Add(await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(EodhdRig.Days(1), calls)));
        }

        await using (var rig = await EodhdRig.StartAsync(fake: o => { o.ApiToken = Secret; o.CallsUsedAtStart = o.DailyAllowance; }))
        {
            errors.Add(await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(EodhdRig.Days(1), calls)));
        }

        await using (var rig = await EodhdRig.StartAsync(fake: o => { o.ApiToken = Secret; o.TruncatedBodyRate = 1; }, provider: o => o.MaxRetries = 0))
        {
            errors.Add(await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(EodhdRig.Days(1), calls)));
        }

        using (var unreachable = EodhdRegistration.CreateProvider(new EodhdOptions { BaseUrl = new Uri("http://127.0.0.1:1"), ApiToken = Secret, MaxRetries = 0 }))
        {
            errors.Add(await Assert.ThrowsAsync<VendorException>(() => unreachable.FetchAsync(EodhdRig.Aapl(), EodhdRig.Days(1), calls)));
        }

        Assert.Equal(
            [VendorErrorKind.InvalidSymbol, VendorErrorKind.ServerError, VendorErrorKind.Banned, VendorErrorKind.BadResponse, VendorErrorKind.Unreachable],
            errors.Select(e => ((VendorException)e).Kind));
        Assert.True(calls.Calls.Count >= 6);
        AssertNoSecret(Secret, errors, calls);
    }

    [Fact]
    public async Task Fetch_AllowanceOfThisProcessSpent_StopsSayingWhenItResets_AndSendsNothing()
    {
        var clock = new ManualTimeProvider(Noon);
        await using var rig = await EodhdRig.StartAsync(time: clock, provider: o => o.DailyAllowance = EodhdOptions.FreePlanDailyAllowance);
        for (var i = 0; i < 4; i++)
        {
            await rig.FetchAsync(EodhdRig.Days(1, EodhdRig.Jan2.AddDays(i)));
        }

        var e = await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(EodhdRig.Days(1, EodhdRig.Jan2.AddDays(4))));

        Assert.Equal(VendorErrorKind.Banned, e.Kind);
        Assert.False(e.IsTransient);
        Assert.Equal(
            "eodhd: this process has spent its daily allowance of 20 API calls (5 per intraday request; EodhdOptions.DailyAllowance); "
            + "it resets at midnight UTC (2024-06-04T00:00:00Z): nothing more is sent to eodhd before then, run again after it (or raise the plan's daily allowance)",
            e.Message);
        Assert.Equal(TimeSpan.FromHours(12), e.RetryAfter);
        Assert.Equal(4, rig.Fake.Requests.Count);

        clock.Advance(TimeSpan.FromHours(12));
        Assert.NotEmpty(await rig.FetchAsync(EodhdRig.Days(1, EodhdRig.Jan2.AddDays(4))));
    }

    [Fact]
    public async Task Fetch_EodhdSaysTheAllowanceIsUsedUp_StopsUntilMidnightUtc_AndSendsNothingMore()
    {
        var clock = new ManualTimeProvider(Noon);
        await using var rig = await EodhdRig.StartAsync(time: clock, fake: o => o.CallsUsedAtStart = o.DailyAllowance);

        var first = await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(EodhdRig.Days(1)));
        var second = await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(EodhdRig.Days(1, EodhdRig.Jan2.AddDays(1))));

        Assert.Equal(VendorErrorKind.Banned, first.Kind);
        Assert.Equal(402, first.HttpStatus);
        Assert.False(first.IsTransient);
        Assert.Equal(
            "eodhd's daily API allowance is used up (HTTP 402: You exceeded your daily API requests limit. Please contact support@eodhistoricaldata.com); "
            + "it resets at midnight UTC (2024-06-04T00:00:00Z): nothing more is sent to eodhd before then, run again after it (or raise the plan's daily allowance)",
            first.Message);
        Assert.Equal(first.Message, second.Message);
        Assert.Single(rig.Fake.Requests);

        clock.Advance(TimeSpan.FromHours(12));
        BarAssert.Equal(rig.Expected(EodhdRig.Days(1)), await rig.FetchAsync(EodhdRig.Days(1)));
    }

    [Fact]
    public async Task Fetch_ServerErrorsAndTruncatedBodies_RetriedToTheSameData()
    {
        await using var rig = await EodhdRig.StartAsync(fake: o =>
        {
            o.ServerErrorRate = 0.3;
            o.TruncatedBodyRate = 0.3;
        });
        var calls = new VendorCallLog();

        var bars = new List<Bar>();
        for (var i = 0; i < 8; i++)
        {
            bars.AddRange(await rig.FetchAsync(EodhdRig.Days(1, EodhdRig.Jan2.AddDays(i)), calls));
        }

        BarAssert.Equal(rig.Expected(EodhdRig.Days(8)), bars);
        Assert.Contains(rig.Fake.Requests, r => r.Fault == "5xx");
        Assert.Contains(rig.Fake.Requests, r => r.Fault == "truncated");
        Assert.Equal(rig.Fake.Requests.Count, calls.Calls.Count);
        Assert.Contains(calls.Calls, c => c.HttpStatus == 502 && c.Error == $"eodhd failed on {c.Request} (HTTP 502: <html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>)");
        Assert.Contains(calls.Calls, c => c.HttpStatus == 200 && c.Error?.StartsWith("eodhd sent a malformed answer", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Fetch_FailingEveryTime_GivesUpAfterMaxRetries()
    {
        await using var rig = await EodhdRig.StartAsync(fake: o => o.ServerErrorRate = 1, provider: o => o.MaxRetries = 2);

        var e = await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(EodhdRig.Days(1)));

        Assert.Equal(VendorErrorKind.ServerError, e.Kind);
        Assert.True(e.IsTransient);
        Assert.Equal(3, rig.Fake.Requests.Count);
    }

    [Theory]
    [InlineData("NOPE.XX")]
    [InlineData("DELISTED.US")]
    public async Task Fetch_UnknownSymbol_FailsAtOnceWithOneRequest(string symbol)
    {
        await using var rig = await EodhdRig.StartAsync(fake: o => o.UnknownTickers.Add("DELISTED.US"));

        var e = await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(EodhdRig.Days(200), series: new Series("eodhd", symbol, Timeframe.M1)));

        Assert.Equal(VendorErrorKind.InvalidSymbol, e.Kind);
        Assert.Equal(404, e.HttpStatus);
        Assert.Equal($"eodhd does not know symbol '{symbol}' (HTTP 404: Ticker Not Found.); EODHD symbols are CODE.EXCHANGE, e.g. AAPL.US", e.Message);
        Assert.Single(rig.Fake.Requests); // not retried, and the chunk's second piece is never asked for
    }

    [Fact]
    public async Task Fetch_PlanWithoutIntraday_FailsAtOnce()
    {
        await using var rig = await EodhdRig.StartAsync(fake: o => o.PlanWithoutIntraday = true);

        var e = await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(EodhdRig.Days(1)));

        Assert.Equal(VendorErrorKind.Unauthorized, e.Kind);
        Assert.Equal(403, e.HttpStatus);
        Assert.Contains("EODHD_API_TOKEN does not include intraday data", e.Message, StringComparison.Ordinal);
        Assert.Single(rig.Fake.Requests);
    }

    [Fact]
    public async Task Fetch_TooManyRequests_WaitsTheRetryAfterThenGetsTheSameData()
    {
        await using var rig = await EodhdRig.StartAsync(fake: o =>
        {
            o.TooManyRequestsRate = 0.4;
            o.InjectedRetryAfterSeconds = 1;
        });
        var calls = new VendorCallLog();

        var bars = new List<Bar>();
        for (var i = 0; i < 4; i++)
        {
            bars.AddRange(await rig.FetchAsync(EodhdRig.Days(1, EodhdRig.Jan2.AddDays(i)), calls));
        }

        BarAssert.Equal(rig.Expected(EodhdRig.Days(4)), bars);
        var requests = rig.Fake.Requests;
        Assert.Contains(requests, r => r.Status == 429);
        for (var i = 1; i < requests.Count; i++)
        {
            if (requests[i - 1].Status == 429)
            {
                Assert.True(requests[i].At - requests[i - 1].At >= TimeSpan.FromMilliseconds(950), "sent inside the Retry-After");
            }
        }

        Assert.Contains(calls.Calls, c => c.HttpStatus == 429 && c.Error!.StartsWith("eodhd's per-minute request limit reached", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Fetch_SlowAnswers_TimedOutAndRetried()
    {
        await using var rig = await EodhdRig.StartAsync(
            fake: o =>
            {
                o.SlowAnswerRate = 0.4;
                o.SlowDelay = TimeSpan.FromSeconds(10);
            },
            provider: o => o.AttemptTimeout = TimeSpan.FromMilliseconds(400));
        var calls = new VendorCallLog();

        var bars = new List<Bar>();
        for (var i = 0; i < 4; i++)
        {
            bars.AddRange(await rig.FetchAsync(EodhdRig.Days(1, EodhdRig.Jan2.AddDays(i)), calls));
        }

        BarAssert.Equal(rig.Expected(EodhdRig.Days(4)), bars);
        Assert.Contains(calls.Calls, c => c.HttpStatus is null && c.Error?.Contains("did not answer", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Fetch_NothingListening_FailsAsUnreachableNamingTheBaseUrl()
    {
        using var provider = EodhdRegistration.CreateProvider(
            new EodhdOptions { BaseUrl = new Uri("http://127.0.0.1:1"), ApiToken = Secret, MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(1) });
        var calls = new VendorCallLog();

        var e = await Assert.ThrowsAsync<VendorException>(() => provider.FetchAsync(EodhdRig.Aapl(), EodhdRig.Days(1), calls));

        Assert.Equal(VendorErrorKind.Unreachable, e.Kind);
        Assert.StartsWith("cannot reach eodhd at http://127.0.0.1:1 ", e.Message, StringComparison.Ordinal);
        Assert.Contains("GAPLESS_EODHD_URL", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, calls.Calls.Count);
    }

    [Fact]
    public async Task Fetch_Cancelled_StopsWithoutAVendorError()
    {
        await using var rig = await EodhdRig.StartAsync(fake: o =>
        {
            o.SlowAnswerRate = 1;
            o.SlowDelay = TimeSpan.FromSeconds(10);
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => rig.Provider.FetchAsync(EodhdRig.Aapl(), EodhdRig.Days(1), new VendorCallLog(), cts.Token));
    }

    private static void AssertNoSecret(string secret, IEnumerable<Exception> errors, VendorCallLog calls)
    {
        var escaped = Uri.EscapeDataString(secret);
        var texts = errors.Select(e => e.ToString())
            .Concat(calls.Calls.SelectMany(c => new[] { c.Request, c.Error ?? string.Empty }))
            .ToList();
        Assert.All(texts, t =>
        {
            Assert.DoesNotContain(secret, t, StringComparison.Ordinal);
            Assert.DoesNotContain(escaped, t, StringComparison.Ordinal);
        });
    }
}
