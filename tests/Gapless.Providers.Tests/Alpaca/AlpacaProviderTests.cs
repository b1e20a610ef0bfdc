using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Providers.Alpaca;
using Gapless.Testing;

namespace Gapless.Providers.Tests.Alpaca;

public class AlpacaProviderTests
{
    [Fact]
    public async Task Fetch_OnePageChunk_EqualsGroundTruth_WithOneRequestForExactlyTheChunk()
    {
        await using var rig = await AlpacaRig.StartAsync();
        var chunk = AlpacaRig.Chunk(1000);
        var calls = new VendorCallLog();

        var bars = await rig.FetchAsync(chunk, calls);

        BarAssert.Equal(rig.Expected(chunk), bars);
        Assert.InRange(bars.Count, 300, 460); // 09:00–16:40 UTC of a session, less quiet minutes
        var call = Assert.Single(calls.Calls);
        Assert.Equal(
            "/v2/stocks/AAPL/bars?timeframe=1Min&start=2024-01-02T00:00:00Z&end=2024-01-02T16:39:59Z&limit=1000&adjustment=raw&feed=iex&sort=asc",
            call.Request);
        Assert.Equal(200, call.HttpStatus);
        Assert.Equal(bars.Count, call.Rows);
        Assert.Equal(1, call.Weight);
        Assert.Null(call.Error);
        Assert.Equal(call.Request, Assert.Single(rig.Fake.Requests).PathAndQuery);
        Assert.True(rig.Fake.Requests[0].Authenticated);
    }

    [Fact]
    public async Task Fetch_BarsOfTheChunkAreAscendingAndInsideIt()
    {
        await using var rig = await AlpacaRig.StartAsync();
        var chunk = AlpacaRig.Chunk(2000, from: AlpacaRig.Jan2.AddHours(10).AddMinutes(7));

        var bars = await rig.FetchAsync(chunk);

        Assert.NotEmpty(bars);
        Assert.All(bars, b => Assert.True(chunk.Contains(b.OpenTimeMs)));
        Assert.Equal(bars.OrderBy(b => b.OpenTimeMs).Select(b => b.OpenTimeMs), bars.Select(b => b.OpenTimeMs));
        Assert.Equal(bars.Count, bars.Select(b => b.OpenTimeMs).Distinct().Count());
    }

    [Theory]
    [InlineData("5m", 500)]
    [InlineData("1h", 300)]
    [InlineData("4h", 100)]
    [InlineData("12h", 60)]
    public async Task Fetch_IntradayTimeframes_EqualGroundTruth(string timeframe, int slots)
    {
        await using var rig = await AlpacaRig.StartAsync();
        var tf = Timeframe.Parse(timeframe);
        var chunk = AlpacaRig.Chunk(slots, tf);

        var bars = await rig.FetchAsync(chunk, series: AlpacaRig.Aapl(tf));

        BarAssert.Equal(rig.Expected(chunk, AlpacaRig.Aapl(tf)), bars);
        Assert.NotEmpty(bars);
        Assert.All(bars, b => Assert.True(tf.IsAligned(b.OpenTimeMs)));
    }

    [Fact]
    public async Task Fetch_DailyBarsAcrossTheDstChange_AreAtUtcMidnight_AndEqualGroundTruth()
    {
        await using var rig = await AlpacaRig.StartAsync();
        var series = AlpacaRig.Aapl(Timeframe.D1);
        var march = TimeRange.Of(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 4, 1, 0, 0, 0, TimeSpan.Zero));

        var bars = await rig.FetchAsync(march, series: series);

        BarAssert.Equal(rig.Expected(march, series), bars);
        Assert.Equal(20, bars.Count); // 21 weekdays, less Good Friday (March 29)
        Assert.All(bars, b => Assert.Equal(TimeSpan.Zero, b.OpenTime.TimeOfDay));
        Assert.DoesNotContain(bars, b => b.OpenTime.Day == 29);
        var query = Assert.Single(rig.Fake.Requests).Query;
        Assert.Equal("2024-03-01T05:00:00Z", query["start"]); // New York midnight, EST
        Assert.Equal("2024-03-31T04:00:00Z", query["end"]); // New York midnight, EDT (inclusive)
    }

    [Fact]
    public async Task Fetch_WeeklyBars_IncludeTheWeekStampedOnTuesdayAfterAHoliday()
    {
        await using var rig = await AlpacaRig.StartAsync();
        var series = AlpacaRig.Aapl(Timeframe.W1);
        var weeks = TimeRange.Of(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 3, 4, 0, 0, 0, TimeSpan.Zero));

        var bars = await rig.FetchAsync(weeks, series: series);

        BarAssert.Equal(rig.Expected(weeks, series), bars);
        Assert.Equal(9, bars.Count);
        Assert.Equal(weeks.FromMs, bars[0].OpenTimeMs); // the week of Monday, January 1 (a holiday)
        Assert.All(bars, b => Assert.Equal(DayOfWeek.Monday, b.OpenTime.DayOfWeek));
    }

    [Fact]
    public async Task Fetch_MonthlyBars_EqualGroundTruth_WithoutTheMonthNotYetClosed()
    {
        await using var rig = await AlpacaRig.StartAsync();
        var series = AlpacaRig.Aapl(Timeframe.Month1);
        var half = TimeRange.Of(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 7, 1, 0, 0, 0, TimeSpan.Zero));

        var bars = await rig.FetchAsync(half, series: series);

        BarAssert.Equal(rig.Expected(half, series), bars);
        Assert.Equal(5, bars.Count); // January to May: June is still open on the fake's clock (2024-06-03)
    }

    [Fact]
    public async Task Fetch_Weekend_IsEmptyNotAnError()
    {
        await using var rig = await AlpacaRig.StartAsync();
        var saturday = AlpacaRig.Chunk(1440, from: new DateTimeOffset(2024, 1, 6, 2, 0, 0, TimeSpan.Zero));

        Assert.Empty(await rig.FetchAsync(saturday));
        Assert.Single(rig.Fake.Requests);
    }

    [Fact]
    public async Task Fetch_FridaysPostMarket_RunsIntoSaturdayUtc()
    {
        // The extended session ends at 20:00 New York time: 01:00 UTC on Saturday in winter.
        await using var rig = await AlpacaRig.StartAsync();
        var chunk = AlpacaRig.Chunk(120, from: new DateTimeOffset(2024, 1, 6, 0, 0, 0, TimeSpan.Zero));

        var bars = await rig.FetchAsync(chunk);

        BarAssert.Equal(rig.Expected(chunk), bars);
        Assert.NotEmpty(bars);
        Assert.All(bars, b => Assert.True(b.OpenTime < new DateTimeOffset(2024, 1, 6, 1, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task Fetch_EmptyAnswerWrittenAsNull_IsEmptyToo()
    {
        await using var rig = await AlpacaRig.StartAsync(fake: o => o.EmptyBarsAsNull = true);
        var saturday = AlpacaRig.Chunk(1440, from: new DateTimeOffset(2024, 1, 6, 2, 0, 0, TimeSpan.Zero));

        Assert.Empty(await rig.FetchAsync(saturday));
    }

    [Fact]
    public async Task Fetch_VendorHole_IsServedAsTheVendorHasIt()
    {
        var hole = TimeRange.Of(AlpacaRig.Jan2.AddHours(14), AlpacaRig.Jan2.AddHours(15));
        await using var rig = await AlpacaRig.StartAsync(fake: o => o.Holes["AAPL"] = [hole]);
        var chunk = AlpacaRig.Chunk(1440);

        var bars = await rig.FetchAsync(chunk);

        BarAssert.Equal(rig.Expected(chunk), bars);
        Assert.DoesNotContain(bars, b => hole.Contains(b.OpenTimeMs));
        Assert.Contains(bars, b => b.OpenTimeMs == hole.ToMs || b.OpenTimeMs == hole.ToMs + 60_000);
    }

    [Fact]
    public async Task Fetch_SubPennyPrices_ComeBackExactly()
    {
        await using var rig = await AlpacaRig.StartAsync();
        var chunk = AlpacaRig.Chunk(1440);

        var bars = await rig.FetchAsync(chunk);

        Assert.Contains(bars, b => b.Open.Scale == 4 || b.Close.Scale == 4);
        Assert.All(bars, b => Assert.InRange(b.Vwap!.Value.Scale, 0, 6));
        BarAssert.Equal(rig.Expected(chunk), bars);
    }

    [Fact]
    public async Task Fetch_EmptyChunk_SendsNothing()
    {
        await using var rig = await AlpacaRig.StartAsync();

        Assert.Empty(await rig.FetchAsync(new TimeRange(AlpacaRig.Chunk(1).FromMs, AlpacaRig.Chunk(1).FromMs)));
        Assert.Empty(rig.Fake.Requests);
    }

    [Fact]
    public async Task Fetch_UnsupportedTimeframe_IsRefusedBeforeAnyRequest()
    {
        await using var rig = await AlpacaRig.StartAsync();

        var e = await Assert.ThrowsAsync<InvalidRequestException>(
            () => rig.FetchAsync(AlpacaRig.Chunk(3, Timeframe.D3), series: AlpacaRig.Aapl(Timeframe.D3)));

        Assert.StartsWith("alpaca does not serve 3d bars; use one of 1m 3m 5m", e.Message, StringComparison.Ordinal);
        Assert.Empty(rig.Fake.Requests);
    }

    [Fact]
    public void InChunk_DropsBarsOutsideTheChunk_AndSortsStably()
    {
        var chunk = new TimeRange(1000, 5000);
        List<Bar> bars = [Bar(500), Bar(3000), Bar(1000), Bar(3000, 2m), Bar(5000), Bar(4999)];

        var kept = AlpacaProvider.InChunk(bars, chunk);

        Assert.Equal([1000, 3000, 3000, 4999], kept.Select(b => b.OpenTimeMs));
        Assert.Equal(1m, kept[1].Open);
        Assert.Equal(2m, kept[2].Open);
    }

    [Fact]
    public void Capabilities_DeclareAlpacasLimits()
    {
        using var provider = AlpacaRegistration.CreateProvider(new AlpacaOptions());

        var caps = provider.Capabilities;

        Assert.Equal("alpaca", provider.Name);
        Assert.Equal(10_000, caps.MaxBarsPerRequest);
        Assert.Equal(1, caps.RequestWeight);
        Assert.Equal(new RateBudget(200, TimeSpan.FromMinutes(1)), caps.Budget);
        Assert.Equal(
            ["1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "1w", "1M"],
            caps.Timeframes.Select(t => t.Code));
        Assert.Equal("XNYS-extended", caps.Calendar);
        Assert.Equal(TimeSpan.FromMinutes(1), caps.FinalizationDelay);
        Assert.False(caps.FinalizesAfterSessionClose);
        Assert.Equal(100, provider.MaxSymbolsPerRequest);
        Assert.Equal(new Uri("https://data.alpaca.markets"), provider.BaseUrl);
    }

    [Fact]
    public void Capabilities_WithSip_WaitSixteenMinutes_UnlessTold()
    {
        using var free = AlpacaRegistration.CreateProvider(new AlpacaOptions { Feed = AlpacaFeed.Sip });
        using var paid = AlpacaRegistration.CreateProvider(new AlpacaOptions { Feed = AlpacaFeed.Sip, FinalizationDelay = TimeSpan.FromMinutes(1) });

        Assert.Equal(TimeSpan.FromMinutes(16), free.Capabilities.FinalizationDelay);
        Assert.Equal(TimeSpan.FromMinutes(1), paid.Capabilities.FinalizationDelay);
    }

    [Fact]
    public void FromEnvironment_ReadsKeysUrlAndFeed()
    {
        var env = new Dictionary<string, string>
        {
            ["APCA_API_KEY_ID"] = "PKID",
            ["APCA_API_SECRET_KEY"] = " s3cret ",
            ["GAPLESS_ALPACA_URL"] = "http://127.0.0.1:5000",
            ["GAPLESS_ALPACA_FEED"] = "SIP",
        };

        var options = AlpacaOptions.FromEnvironment(name => env.GetValueOrDefault(name));

        Assert.Equal("PKID", options.KeyId);
        Assert.Equal("s3cret", options.SecretKey);
        Assert.True(options.HasKeys);
        Assert.Equal(new Uri("http://127.0.0.1:5000"), options.BaseUrl);
        Assert.Equal(AlpacaFeed.Sip, options.Feed);
        Assert.Equal(AlpacaAdjustment.Raw, options.Adjustment);
    }

    [Fact]
    public void FromEnvironment_NothingSet_GivesDefaultsWithoutKeys()
    {
        var options = AlpacaOptions.FromEnvironment(_ => null);

        Assert.False(options.HasKeys);
        Assert.Equal(new Uri(AlpacaOptions.DefaultBaseUrl), options.BaseUrl);
        Assert.Equal(AlpacaFeed.Iex, options.Feed);
    }

    [Fact]
    public void FromEnvironment_BadFeed_NamesTheVariable()
    {
        var e = Assert.Throws<ArgumentException>(() => AlpacaOptions.FromEnvironment(n => n == "GAPLESS_ALPACA_FEED" ? "opra" : null));

        Assert.Contains("GAPLESS_ALPACA_FEED 'opra' must be iex or sip", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddAlpaca_RegistersOneSharedProvider()
    {
        var registry = new ProviderRegistry().AddAlpaca(new AlpacaOptions());

        var provider = registry.Get("alpaca");

        Assert.IsType<AlpacaProvider>(provider);
        Assert.IsAssignableFrom<IMultiSymbolBarProvider>(provider);
        Assert.Same(provider, registry.Get("alpaca"));
        ((IDisposable)provider).Dispose();
    }

    private static Bar Bar(long openTimeMs, decimal open = 1m) => new(openTimeMs, open, 1m, 1m, 1m, 1m);
}
