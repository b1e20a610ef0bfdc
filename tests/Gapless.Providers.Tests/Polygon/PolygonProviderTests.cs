using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.FakeVendors.Polygon;
using Gapless.Providers.Polygon;
using Gapless.Testing;

namespace Gapless.Providers.Tests.Polygon;

public class PolygonProviderTests
{
    [Fact]
    public async Task Fetch_ChunkSpanningSeveralNextUrlPages_EqualsGroundTruthExactly()
    {
        await using var rig = await PolygonRig.StartAsync(fake: o => o.PageSize = 700);
        var chunk = PolygonRig.Days(7); // Monday to Sunday: five sessions, the weekend empty
        var calls = new VendorCallLog();

        var bars = await rig.FetchAsync(chunk, calls);

        BarAssert.Equal(rig.Expected(chunk), bars);
        Assert.InRange(bars.Count, 3500, 4500);
        var requests = rig.Fake.Requests;
        Assert.True(requests.Count >= 6, $"{requests.Count} pages");
        Assert.False(requests[0].IsNextPage);
        Assert.All(requests.Skip(1), r => Assert.True(r.IsNextPage));
        Assert.All(requests, r => Assert.Equal(200, r.Status));
        Assert.Null(requests[^1].NextUrl);
        Assert.Equal(requests.Count, calls.Calls.Count);
        Assert.Equal(requests.Select(r => r.Rows), calls.Calls.Select(c => c.Rows));
        Assert.Equal(
            $"/v2/aggs/ticker/AAPL/range/1/minute/{chunk.FromMs}/{chunk.ToMs - 60_000}?adjusted=true&sort=asc&limit=50000",
            calls.Calls[0].Request);
    }

    [Theory]
    [InlineData("1m", 3)]
    [InlineData("3m", 3)]
    [InlineData("5m", 4)]
    [InlineData("15m", 9)]
    [InlineData("30m", 9)]
    [InlineData("1h", 9)]
    [InlineData("2h", 9)]
    [InlineData("4h", 30)]
    [InlineData("6h", 30)]
    [InlineData("8h", 30)]
    [InlineData("12h", 30)]
    [InlineData("1d", 75)]
    [InlineData("1w", 210)]
    [InlineData("1M", 730)]
    public async Task Fetch_EveryTimeframe_EqualsGroundTruthOnTheGaplessGrid(string timeframe, int days)
    {
        await using var rig = await PolygonRig.StartAsync(fake: o => o.PageSize = 40);
        var tf = Timeframe.Parse(timeframe);
        var series = PolygonRig.Aapl(tf);
        var chunk = tf.AlignOutward(PolygonRig.Days(days, new DateTimeOffset(2023, 12, 1, 0, 0, 0, TimeSpan.Zero)));

        var bars = await rig.FetchAsync(chunk, series: series);

        BarAssert.Equal(rig.Expected(chunk, series), bars);
        Assert.NotEmpty(bars);
        Assert.All(bars, b => Assert.True(tf.IsAligned(b.OpenTimeMs), $"{UtcTime.ToIso(b.OpenTimeMs)} is off the {tf} grid"));
        Assert.Equal(bars.OrderBy(b => b.OpenTimeMs).Select(b => b.OpenTimeMs), bars.Select(b => b.OpenTimeMs));
    }

    [Fact]
    public async Task Fetch_DailyBars_AreStampedAtUtcMidnightOfTheirNewYorkDate()
    {
        await using var rig = await PolygonRig.StartAsync();
        var series = PolygonRig.Aapl(Timeframe.D1);
        var chunk = PolygonRig.Days(14); // across the switch to daylight time on March 10
        var calls = new VendorCallLog();

        var bars = await rig.FetchAsync(chunk, calls, series);

        Assert.Equal(
            ["2024-03-04", "2024-03-05", "2024-03-06", "2024-03-07", "2024-03-08", "2024-03-11", "2024-03-12", "2024-03-13", "2024-03-14", "2024-03-15"],
            bars.Select(b => UtcTime.ToIso(b.OpenTimeMs)[..10]));
        Assert.All(bars, b => Assert.Equal(0, b.OpenTimeMs % 86_400_000));
        BarAssert.Equal(rig.Expected(chunk, series), bars);

        // Asked from New York midnight of the first date to New York midnight of the last (snapped to its end).
        var nyMar4 = UtcTime.ToEpochMs(new DateTimeOffset(2024, 3, 4, 5, 0, 0, TimeSpan.Zero));
        var nyMar17 = UtcTime.ToEpochMs(new DateTimeOffset(2024, 3, 17, 4, 0, 0, TimeSpan.Zero));
        Assert.Equal($"/v2/aggs/ticker/AAPL/range/1/day/{nyMar4}/{nyMar17}?adjusted=true&sort=asc&limit=50000", Assert.Single(calls.Calls).Request);
    }

    [Fact]
    public async Task Fetch_HourChunkOverThe50000MinuteLimit_IsSplitSoNoRequestReachesIt()
    {
        await using var rig = await PolygonRig.StartAsync();
        var series = PolygonRig.Aapl(Timeframe.H1);
        var chunk = new TimeRange(UtcTime.ToEpochMs(PolygonRig.Mar4), Timeframe.H1.Add(UtcTime.ToEpochMs(PolygonRig.Mar4), 1000));

        var bars = await rig.FetchAsync(chunk, series: series);

        BarAssert.Equal(rig.Expected(chunk, series), bars);
        var requests = rig.Fake.Requests;
        Assert.Equal(2, requests.Count); // 833 hours (49,980 minutes), then 167
        Assert.All(requests, r => Assert.False(r.LimitReached));
        Assert.All(requests, r => Assert.InRange(r.BaseAggregates, 1, 50_000));
    }

    [Fact]
    public async Task Fetch_FullMinuteChunk_IsOneRequestOfLimit50000()
    {
        await using var rig = await PolygonRig.StartAsync();
        var from = UtcTime.ToEpochMs(new DateTimeOffset(2024, 4, 1, 0, 0, 0, TimeSpan.Zero));
        var chunk = new TimeRange(from, Timeframe.M1.Add(from, 50_000));

        var bars = await rig.FetchAsync(chunk);

        BarAssert.Equal(rig.Expected(chunk), bars);
        var request = Assert.Single(rig.Fake.Requests);
        Assert.Contains("limit=50000", request.PathAndQuery, StringComparison.Ordinal);
        Assert.False(request.LimitReached);
    }

    [Fact]
    public async Task Fetch_UnknownTicker_IsEmptyLikeAtPolygon()
    {
        await using var rig = await PolygonRig.StartAsync(fake: o => o.UnknownTickers.Add("NOSUCH"));

        var bars = await rig.FetchAsync(PolygonRig.Days(1), series: new Series("polygon", "NOSUCH", Timeframe.M1));

        Assert.Empty(bars);
        Assert.Equal(200, Assert.Single(rig.Fake.Requests).Status);
    }

    [Fact]
    public async Task Fetch_VendorHole_ServedAsTheVendorHasIt()
    {
        var hole = TimeRange.Of(PolygonRig.Mar4.AddHours(15), PolygonRig.Mar4.AddHours(17));
        await using var rig = await PolygonRig.StartAsync(fake: o => o.Holes.Add(hole));

        var bars = await rig.FetchAsync(PolygonRig.Days(1));

        BarAssert.Equal(rig.Expected(PolygonRig.Days(1)), bars);
        Assert.DoesNotContain(bars, b => hole.Contains(b.OpenTimeMs));
        Assert.Contains(bars, b => b.OpenTimeMs == hole.ToMs);
    }

    [Fact]
    public async Task Fetch_DelayedPlan_ReadsDelayedAnswersAsData()
    {
        await using var rig = await PolygonRig.StartAsync(fake: o => o.DataDelay = TimeSpan.FromMinutes(15));

        var bars = await rig.FetchAsync(PolygonRig.Days(1));

        Assert.NotEmpty(bars);
        BarAssert.Equal(rig.Expected(PolygonRig.Days(1)), bars);
    }

    [Fact]
    public async Task Fetch_RangeReachingNow_LeavesOutBarsNotYetFinal()
    {
        // 11:00 New York on a Tuesday; final means closed FinalizationDelay (15 min) ago.
        var clock = new ManualTimeProvider(new DateTimeOffset(2024, 3, 5, 16, 0, 0, TimeSpan.Zero));
        await using var rig = await PolygonRig.StartAsync(time: clock);
        var chunk = TimeRange.Of(new DateTimeOffset(2024, 3, 5, 14, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 3, 5, 17, 0, 0, TimeSpan.Zero));

        var bars = await rig.FetchAsync(chunk);

        Assert.True(rig.Fake.Requests.Single().Rows > bars.Count);
        Assert.Equal(UtcTime.ToEpochMs(new DateTimeOffset(2024, 3, 5, 15, 44, 0, TimeSpan.Zero)), bars[^1].OpenTimeMs);
        BarAssert.Equal(rig.Expected(TimeRange.Of(chunk.From, new DateTimeOffset(2024, 3, 5, 15, 45, 0, TimeSpan.Zero))), bars);
    }

    [Fact]
    public async Task Fetch_3dTimeframe_IsRefusedBeforeAnyRequest()
    {
        await using var rig = await PolygonRig.StartAsync();

        await Assert.ThrowsAsync<InvalidRequestException>(() => rig.FetchAsync(PolygonRig.Days(30), series: PolygonRig.Aapl(Timeframe.D3)));

        Assert.Empty(rig.Fake.Requests);
    }

    [Fact]
    public async Task Fetch_ConcurrentChunks_AllEqualGroundTruth()
    {
        await using var rig = await PolygonRig.StartAsync(fake: o => o.PageSize = 500);
        var chunks = Enumerable.Range(0, 6).Select(i => PolygonRig.Days(1, PolygonRig.Mar4.AddDays(i))).ToList();

        var results = await Task.WhenAll(chunks.Select(c => rig.FetchAsync(c)));

        for (var i = 0; i < chunks.Count; i++)
        {
            BarAssert.Equal(rig.Expected(chunks[i]), results[i]);
        }
    }

    [Fact]
    public void Capabilities_DeclarePolygonsLimits()
    {
        using var provider = PolygonRegistration.CreateProvider(new PolygonOptions());

        var caps = provider.Capabilities;

        Assert.Equal("polygon", provider.Name);
        Assert.Equal(50_000, caps.MaxBarsPerRequest);
        Assert.Equal(1, caps.RequestWeight);
        Assert.Equal(new RateBudget(5, TimeSpan.FromMinutes(1)), caps.Budget);
        Assert.Equal(PolygonTimespan.Served, caps.Timeframes);
        Assert.Equal(TimeSpan.FromMinutes(15), caps.FinalizationDelay);
        Assert.Equal(TimeSpan.FromMinutes(50_000), caps.MaxSpanFor(Timeframe.H1)); // 50,000 base (minute) aggregates
        Assert.Null(caps.MaxSpanFor(Timeframe.D1));
        Assert.Equal("XNYS-extended", caps.Calendar);
        Assert.Equal(new Uri("https://api.polygon.io"), provider.BaseUrl);
    }

    [Fact]
    public void Capabilities_PaidPlan_HasNoBudget()
    {
        using var provider = PolygonRegistration.CreateProvider(new PolygonOptions { RequestsPerMinute = null, FinalizationDelay = TimeSpan.Zero });

        Assert.Null(provider.Capabilities.Budget);
        Assert.Equal(TimeSpan.Zero, provider.Capabilities.FinalizationDelay);
    }

    [Fact]
    public void AddPolygon_RegistersOneSharedProvider()
    {
        var registry = new ProviderRegistry().AddPolygon(new PolygonOptions { ApiKey = "k" });

        var provider = registry.Get("polygon");

        Assert.Same(provider, registry.Get("polygon"));
        ((IDisposable)provider).Dispose();
    }

    [Fact]
    public void CreateProvider_KeyAnHttpRequestCannotCarry_IsRefusedWithoutQuotingIt()
    {
        var e = Assert.Throws<ArgumentException>(() => PolygonRegistration.CreateProvider(new PolygonOptions { ApiKey = "secret\u00e9key" }));

        Assert.Contains("POLYGON_API_KEY", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_ReadsKeyHostAndRate()
    {
        var env = new Dictionary<string, string>
        {
            ["POLYGON_API_KEY"] = " abc123 ",
            ["GAPLESS_POLYGON_URL"] = "https://api.massive.com",
            ["GAPLESS_POLYGON_REQUESTS_PER_MINUTE"] = "unlimited",
        };

        var options = PolygonOptions.FromEnvironment(name => env.GetValueOrDefault(name));

        Assert.Equal("abc123", options.ApiKey);
        Assert.Equal(new Uri(PolygonOptions.MassiveBaseUrl), options.BaseUrl);
        Assert.Null(options.RequestsPerMinute);
        Assert.DoesNotContain("abc123", options.ToString(), StringComparison.Ordinal);
        Assert.Equal(100, PolygonOptions.FromEnvironment(n => n == "GAPLESS_POLYGON_REQUESTS_PER_MINUTE" ? "100" : null).RequestsPerMinute);
        Assert.Equal(5, PolygonOptions.FromEnvironment(_ => null).RequestsPerMinute);
        Assert.Throws<ArgumentException>(() => PolygonOptions.FromEnvironment(n => n == "GAPLESS_POLYGON_REQUESTS_PER_MINUTE" ? "lots" : null));
    }
}
