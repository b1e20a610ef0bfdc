using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Planning;
using Gapless.Core.Ports;
using Gapless.Providers.Eodhd;
using Gapless.Testing;

namespace Gapless.Providers.Tests.Eodhd;

[Collection(EodhdFakeCollection.Name)]
public class EodhdProviderTests
{
    private const long Day = 86_400;

    [Fact]
    public async Task Fetch_ChunkWithinTheSpan_IsOneRequestWithTheDocumentedQuery()
    {
        await using var rig = await EodhdRig.StartAsync();
        var calls = new VendorCallLog();
        var chunk = EodhdRig.Days(1);
        var from = chunk.FromMs / 1000;

        var bars = await rig.FetchAsync(chunk, calls);

        var sent = Assert.Single(rig.Fake.Requests);
        Assert.Equal(
            $"/api/intraday/AAPL.US?interval=1m&from={from}&to={from + Day - 1}&fmt=json&api_token={FakeVendors.Eodhd.FakeEodhdOptions.DefaultToken}",
            sent.PathAndQuery);
        var call = Assert.Single(calls.Calls);
        Assert.Equal($"/api/intraday/AAPL.US?interval=1m&from={from}&to={from + Day - 1}&fmt=json", call.Request);
        Assert.Equal(200, call.HttpStatus);
        Assert.Equal(5, call.Weight);
        Assert.Equal(bars.Count, call.Rows);
        Assert.Null(call.Error);
        Assert.Equal(5, rig.Fake.CallsUsedToday);
    }

    [Fact]
    public async Task Fetch_ExtendedHours_FromFourToTwentyNewYorkTime_InWinterAndSummer()
    {
        await using var rig = await EodhdRig.StartAsync();

        var winter = await rig.FetchAsync(EodhdRig.Days(1)); // Tuesday 2024-01-02, EST (UTC−5)
        var summer = await rig.FetchAsync(EodhdRig.Days(2, new DateTimeOffset(2024, 7, 1, 0, 0, 0, TimeSpan.Zero))); // EDT (UTC−4)

        Assert.Equal(new DateTimeOffset(2024, 1, 2, 9, 0, 0, TimeSpan.Zero), winter[0].OpenTime);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 23, 59, 0, TimeSpan.Zero), winter[^1].OpenTime); // the rest is on Jan 3 UTC
        Assert.Equal(15 * 60, winter.Count);
        Assert.Equal(new DateTimeOffset(2024, 7, 1, 8, 0, 0, TimeSpan.Zero), summer[0].OpenTime);
        Assert.Equal(16 * 60 * 2, summer.Count);
    }

    [Fact]
    public async Task Fetch_WeekendAndHoliday_IsEmptyNotAnError()
    {
        await using var rig = await EodhdRig.StartAsync();

        // Saturday 2024-01-06 and Sunday, then Monday 2024-01-15 (Martin Luther King Jr. Day): no session.
        var weekend = await rig.FetchAsync(EodhdRig.Days(2, new DateTimeOffset(2024, 1, 6, 5, 0, 0, TimeSpan.Zero)));
        var holiday = await rig.FetchAsync(EodhdRig.Days(1, new DateTimeOffset(2024, 1, 15, 5, 0, 0, TimeSpan.Zero)));

        Assert.Empty(weekend);
        Assert.Empty(holiday);
        Assert.Equal(2, rig.Intraday.Count);
    }

    [Fact]
    public async Task Fetch_VendorHole_IsAbsentAndEverythingElseIsThere()
    {
        var hole = TimeRange.Of(EodhdRig.Jan2.AddHours(15), EodhdRig.Jan2.AddHours(16).AddMinutes(30));
        await using var rig = await EodhdRig.StartAsync(fake: o => o.Holes.Add(hole));

        var bars = await rig.FetchAsync(EodhdRig.Days(1));

        BarAssert.Equal(rig.Expected(EodhdRig.Days(1)), bars);
        Assert.DoesNotContain(bars, b => hole.Contains(b.OpenTimeMs));
        Assert.Equal((15 * 60) - 90, bars.Count);
    }

    [Fact]
    public async Task Fetch_RowsWithNullVolume_AreLeftOutAsNoTrade()
    {
        await using var rig = await EodhdRig.StartAsync(fake: o => o.NullVolumeRate = 0.1);
        var calls = new VendorCallLog();

        var bars = await rig.FetchAsync(EodhdRig.Days(3), calls);

        BarAssert.Equal(rig.Expected(EodhdRig.Days(3)), bars);
        var rows = Assert.Single(rig.Intraday).Rows;
        Assert.InRange(rows - bars.Count, 200, 380); // about 10% of the 2820 rows had no trade
        Assert.Equal(rows, Assert.Single(calls.Calls).Rows);
    }

    [Fact]
    public async Task Fetch_DayNotYetPublished_ReturnsOnlyWhatEodhdHasPublished()
    {
        var publishedUntil = EodhdRig.Jan2.AddDays(1).AddHours(15); // Jan 3, 10:00 New York time
        await using var rig = await EodhdRig.StartAsync(fake: o => o.PublishedUntil = publishedUntil);

        var bars = await rig.FetchAsync(EodhdRig.Days(3));

        BarAssert.Equal(rig.Expected(EodhdRig.Days(3)), bars);
        Assert.Equal(UtcTime.ToEpochMs(publishedUntil) - 60_000, bars[^1].OpenTimeMs);
    }

    [Fact]
    public async Task Fetch_BarsClosedWithinTheFinalizationDelay_AreLeftOut()
    {
        // 15:00 New York time: the session's bars up to now exist at the fake, but none of the last 3 hours is final.
        var clock = new ManualTimeProvider(EodhdRig.Jan2.AddHours(20));
        await using var rig = await EodhdRig.StartAsync(time: clock);

        var bars = await rig.FetchAsync(EodhdRig.Days(1));

        Assert.Equal(11 * 60, Assert.Single(rig.Intraday).Rows); // 09:00Z to 20:00Z
        Assert.Equal(8 * 60, bars.Count); // closed by 17:00Z
        Assert.Equal(UtcTime.ToEpochMs(EodhdRig.Jan2.AddHours(17)) - 60_000, bars[^1].OpenTimeMs);
    }

    [Fact]
    public async Task Fetch_TimeframeEodhdDoesNotServe_IsRefusedBeforeAnyRequest()
    {
        await using var rig = await EodhdRig.StartAsync();

        var e = await Assert.ThrowsAsync<InvalidRequestException>(() => rig.FetchAsync(EodhdRig.Days(1), series: EodhdRig.Aapl(Timeframe.M15)));

        Assert.Equal("eodhd does not serve timeframe 15m; use one of 1m 5m 1h", e.Message);
        Assert.Empty(rig.Fake.Requests);
    }

    [Fact]
    public async Task Fetch_ConcurrentChunks_AllEqualGroundTruth()
    {
        await using var rig = await EodhdRig.StartAsync();
        var chunks = Enumerable.Range(0, 8).Select(i => EodhdRig.Days(1, EodhdRig.Jan2.AddDays(i))).ToList();

        var results = await Task.WhenAll(chunks.Select(c => rig.FetchAsync(c)));

        for (var i = 0; i < chunks.Count; i++)
        {
            BarAssert.Equal(rig.Expected(chunks[i]), results[i]);
        }

        Assert.Equal(40, rig.Fake.CallsUsedToday);
    }

    [Fact]
    public void Capabilities_DeclareEodhdsLimits()
    {
        using var provider = EodhdRegistration.CreateProvider(new EodhdOptions());

        var caps = provider.Capabilities;

        Assert.Equal("eodhd", provider.Name);
        Assert.Equal(new Uri("https://eodhd.com"), provider.BaseUrl);
        Assert.Equal([Timeframe.M1, Timeframe.M5, Timeframe.H1], caps.Timeframes);
        Assert.Equal(5, caps.RequestWeight);
        Assert.Equal(new RateBudget(100_000, TimeSpan.FromDays(1)), caps.Budget);
        Assert.Equal(TimeSpan.FromDays(120), caps.MaxSpanPerRequest);
        Assert.Equal(172_800, caps.MaxBarsPerRequest);
        Assert.Equal(TimeSpan.FromHours(3), caps.FinalizationDelay);
        Assert.True(caps.FinalizesAfterSessionClose);
        Assert.Equal("XNYS-extended", caps.Calendar);
    }

    [Fact]
    public void MaxSpanFor_GivesEachTimeframesOwnSpan()
    {
        Assert.Equal(TimeSpan.FromDays(120), EodhdProvider.MaxSpanFor(Timeframe.M1));
        Assert.Equal(TimeSpan.FromDays(600), EodhdProvider.MaxSpanFor(Timeframe.M5));
        Assert.Equal(TimeSpan.FromDays(7200), EodhdProvider.MaxSpanFor(Timeframe.H1));
        Assert.Null(EodhdProvider.MaxSpanFor(Timeframe.D1));
        Assert.Equal(TimeSpan.FromDays(120), EodhdProvider.LargestSafeSpan);

        // Each span is exactly the declared page size of bar slots.
        Assert.All(
            new[] { Timeframe.M1, Timeframe.M5, Timeframe.H1 },
            tf => Assert.Equal(172_800, (long)EodhdProvider.MaxSpanFor(tf)!.Value.TotalMilliseconds / tf.NominalLengthMs));
    }

    [Fact]
    public void Planner_CutsA1mYearInto120DayChunks_EachOneRequest()
    {
        using var provider = EodhdRegistration.CreateProvider(new EodhdOptions());
        var year = TimeRange.Of(EodhdRig.Jan2, EodhdRig.Jan2.AddDays(365));

        var chunks = ChunkPlanner.Plan(RangeSet.Of(year), Timeframe.M1, provider.Capabilities);

        Assert.Equal(4, chunks.Count);
        Assert.All(chunks, c => Assert.Single(EodhdProvider.Split(c, EodhdProvider.MaxSpanFor(Timeframe.M1)!.Value)));
    }

    [Fact]
    public void FromEnvironment_ReadsTheTokenAndTheBaseUrl()
    {
        var variables = new Dictionary<string, string?>
        {
            ["EODHD_API_TOKEN"] = " abc.123 ",
            ["GAPLESS_EODHD_URL"] = "http://127.0.0.1:9",
        };

        var options = EodhdOptions.FromEnvironment(name => variables.GetValueOrDefault(name));
        var empty = EodhdOptions.FromEnvironment(_ => null);

        Assert.Equal("abc.123", options.ApiToken);
        Assert.Equal(new Uri("http://127.0.0.1:9"), options.BaseUrl);
        Assert.Null(empty.ApiToken);
        Assert.Equal(new Uri(EodhdOptions.DefaultBaseUrl), empty.BaseUrl);
        Assert.Throws<ArgumentException>(() => EodhdOptions.FromEnvironment(name => name == "GAPLESS_EODHD_URL" ? "eodhd.com" : null));
    }

    [Fact]
    public void AddEodhd_RegistersOneSharedProvider()
    {
        var registry = new ProviderRegistry().AddEodhd(new EodhdOptions(), TimeProvider.System);

        var provider = registry.Get("eodhd");

        Assert.Same(provider, registry.Get("eodhd"));
        ((IDisposable)provider).Dispose();
    }
}
