using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.FakeVendors.Binance;
using Gapless.Providers.Binance;
using Gapless.Testing;

namespace Gapless.Providers.Tests.Binance;

public class BinanceProviderTests
{
    [Fact]
    public async Task Fetch_MultiChunkRange_EqualsGroundTruthWithOneRequestPerChunk()
    {
        await using var rig = await BinanceRig.StartAsync();
        var chunks = new[] { BinanceRig.Chunk(0), BinanceRig.Chunk(1), new TimeRange(BinanceRig.Chunk(2).FromMs, BinanceRig.Chunk(2).FromMs + (500 * 60_000L)) };

        var bars = new List<Bar>();
        foreach (var chunk in chunks)
        {
            bars.AddRange(await rig.FetchAsync(chunk));
        }

        Assert.Equal(rig.Expected(new TimeRange(chunks[0].FromMs, chunks[2].ToMs)), bars);
        Assert.Equal(2500, bars.Count);
        var requests = rig.Fake.Requests;
        Assert.Single(requests, r => r.Path == "/api/v3/exchangeInfo");
        Assert.Equal(
            chunks.Select(c => $"/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime={c.FromMs}&endTime={c.ToMs - 1}&limit={Timeframe.M1.CountBars(c)}"),
            rig.Fake.KlinesRequests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task Fetch_RecordsEveryCallInTheLog()
    {
        await using var rig = await BinanceRig.StartAsync();
        var calls = new VendorCallLog();
        var chunk = BinanceRig.Chunk(0);

        await rig.FetchAsync(chunk, calls);

        Assert.Collection(
            calls.Calls,
            info =>
            {
                Assert.Equal("/api/v3/exchangeInfo?symbol=BTCUSDT", info.Request);
                Assert.Equal(200, info.HttpStatus);
                Assert.Equal(20, info.Weight);
            },
            klines =>
            {
                Assert.Equal($"/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime={chunk.FromMs}&endTime={chunk.ToMs - 1}&limit=1000", klines.Request);
                Assert.Equal(200, klines.HttpStatus);
                Assert.Equal(1000, klines.Rows);
                Assert.Equal(2, klines.Weight);
                Assert.Null(klines.Error);
                Assert.True(klines.Duration >= TimeSpan.Zero);
            });
    }

    [Fact]
    public async Task Fetch_UnknownSymbol_FailsAtOnceWithOneRequest()
    {
        await using var rig = await BinanceRig.StartAsync();

        var e = await Assert.ThrowsAsync<VendorException>(
            () => rig.FetchAsync(BinanceRig.Chunk(0), series: new Series("binance", "BAD", Timeframe.M1)));

        Assert.Equal(VendorErrorKind.InvalidSymbol, e.Kind);
        Assert.Equal("binance refused symbol 'BAD': Invalid symbol. (-1121)", e.Message);
        Assert.Single(rig.Fake.Requests);
    }

    [Fact]
    public async Task Fetch_UnknownSymbolAfterAKnownOne_FailsAtOnceOnKlines()
    {
        await using var rig = await BinanceRig.StartAsync();
        await rig.FetchAsync(BinanceRig.Chunk(0, 10));
        rig.Fake.ClearRequests();

        var e = await Assert.ThrowsAsync<VendorException>(
            () => rig.FetchAsync(BinanceRig.Chunk(0, 10), series: new Series("binance", "NOPE", Timeframe.M1)));

        Assert.Equal(VendorErrorKind.InvalidSymbol, e.Kind);
        Assert.Single(rig.Fake.Requests);
    }

    [Fact]
    public async Task Fetch_BeforeListing_IsEmptyNotAnError()
    {
        await using var rig = await BinanceRig.StartAsync(fake: o =>
        {
            o.Symbols.Clear();
            o.Symbols.Add(FakeSymbol.BtcUsdt() with { ListedAtMs = UtcTime.ToEpochMs(BinanceRig.Jan1) });
        });
        var before = new TimeRange(UtcTime.ToEpochMs(BinanceRig.Jan1.AddMinutes(-1000)), UtcTime.ToEpochMs(BinanceRig.Jan1));
        var straddling = new TimeRange(UtcTime.ToEpochMs(BinanceRig.Jan1.AddMinutes(-500)), UtcTime.ToEpochMs(BinanceRig.Jan1.AddMinutes(500)));

        Assert.Empty(await rig.FetchAsync(before));
        var bars = await rig.FetchAsync(straddling);

        Assert.Equal(500, bars.Count);
        Assert.Equal(UtcTime.ToEpochMs(BinanceRig.Jan1), bars[0].OpenTimeMs);
        Assert.Equal(2, rig.Fake.KlinesRequests.Count);
    }

    [Fact]
    public async Task Fetch_HaltAndHole_ServedAsTheVendorHasThem()
    {
        // BTCUSDT 5m on 2020-02-19: the 11:35 kline cut short at 11:35:32.286, trading again at 17:30.
        var halt = new FakeHalt(1582112132286, 1582133400000);
        var hole = new TimeRange(1582135200000, 1582136100000);
        await using var rig = await BinanceRig.StartAsync(fake: o =>
        {
            o.Symbols.Clear();
            o.Symbols.Add(FakeSymbol.BtcUsdt() with { Halts = [halt], Holes = [hole] });
        });
        var series = BinanceRig.Btc(Timeframe.M5);
        var chunk = new TimeRange(1582106400000, 1582106400000 + (200 * 300_000L));

        var bars = await rig.FetchAsync(chunk, series: series);

        Assert.Equal(rig.Expected(chunk, series), bars);
        var cut = Assert.Single(bars, b => b.CutShortAtMs is not null);
        Assert.Equal(1582112100000, cut.OpenTimeMs);
        Assert.Equal(1582112132286, cut.CutShortAtMs);
        Assert.DoesNotContain(bars, b => b.OpenTimeMs > cut.OpenTimeMs && b.OpenTimeMs < 1582133400000);
        Assert.DoesNotContain(bars, b => hole.Contains(b.OpenTimeMs));
    }

    [Fact]
    public async Task Fetch_OffGridKline_KeepsTheVendorsOpenTime()
    {
        var offGrid = UtcTime.ToEpochMs(BinanceRig.Jan1.AddMinutes(10).AddSeconds(23));
        await using var rig = await BinanceRig.StartAsync(fake: o =>
        {
            o.Symbols.Clear();
            o.Symbols.Add(FakeSymbol.BtcUsdt() with { OffGrid = [new FakeOffGrid(Timeframe.M1, offGrid)] });
        });

        var bars = await rig.FetchAsync(BinanceRig.Chunk(0, 20));

        Assert.Equal(rig.Expected(BinanceRig.Chunk(0, 20)), bars);
        Assert.Contains(bars, b => b.OpenTimeMs == offGrid);
        Assert.DoesNotContain(bars, b => b.OpenTimeMs == UtcTime.ToEpochMs(BinanceRig.Jan1.AddMinutes(10)));
    }

    [Fact]
    public async Task Fetch_BadRowsAtTheSource_ArePassedOnForTheValidator()
    {
        await using var rig = await BinanceRig.StartAsync(fake: o => o.InvalidRowRate = 0.05);

        var bars = await rig.FetchAsync(BinanceRig.Chunk(0));

        Assert.Equal(rig.Expected(BinanceRig.Chunk(0)), bars);
        Assert.Contains(bars, b => b.High < b.Low);
    }

    [Fact]
    public async Task Fetch_RangeReachingNow_LeavesOutTheOpenCandle()
    {
        // Binance returns the still-open candle with its values so far: it must never pass for a final bar.
        var clock = new ManualTimeProvider(BinanceRig.Jan1.AddMinutes(10).AddSeconds(30));
        await using var rig = await BinanceRig.StartAsync(time: clock);
        var chunk = BinanceRig.Chunk(0, 20);

        var bars = await rig.FetchAsync(chunk);

        Assert.Equal(11, rig.Fake.KlinesRequests.Single().Rows);
        Assert.Equal(10, bars.Count);
        Assert.Equal(rig.Expected(chunk), bars);
        Assert.Equal(UtcTime.ToEpochMs(BinanceRig.Jan1.AddMinutes(9)), bars[^1].OpenTimeMs);
    }

    [Fact]
    public async Task Fetch_BarClosedWithinTheFinalizationDelay_IsLeftOut()
    {
        var clock = new ManualTimeProvider(BinanceRig.Jan1.AddMinutes(10).AddSeconds(2));
        await using var rig = await BinanceRig.StartAsync(time: clock, provider: o => o.FinalizationDelay = TimeSpan.FromSeconds(5));

        var bars = await rig.FetchAsync(BinanceRig.Chunk(0, 20));

        Assert.Equal(9, bars.Count);
    }

    [Fact]
    public async Task Fetch_ConcurrentCalls_AllEqualGroundTruthAndShareOneExchangeInfo()
    {
        await using var rig = await BinanceRig.StartAsync();
        var chunks = Enumerable.Range(0, 12).Select(i => BinanceRig.Chunk(i)).ToList();

        var results = await Task.WhenAll(chunks.Select(c => rig.FetchAsync(c)));

        for (var i = 0; i < chunks.Count; i++)
        {
            Assert.Equal(rig.Expected(chunks[i]), results[i]);
        }

        Assert.Single(rig.Fake.Requests, r => r.Path == "/api/v3/exchangeInfo");
        Assert.Equal(12, rig.Fake.KlinesRequests.Count);
    }

    [Fact]
    public async Task Fetch_ChunkOverAThousandBars_IsRefusedBeforeAnyRequest()
    {
        await using var rig = await BinanceRig.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => rig.FetchAsync(BinanceRig.Chunk(0, 1001)));

        Assert.Empty(rig.Fake.Requests);
    }

    [Fact]
    public void Capabilities_DeclareBinancesLimits()
    {
        using var provider = BinanceRegistration.CreateProvider();

        var caps = provider.Capabilities;

        Assert.Equal("binance", provider.Name);
        Assert.Equal(1000, caps.MaxBarsPerRequest);
        Assert.Equal(2, caps.RequestWeight);
        Assert.Equal(new RateBudget(6000, TimeSpan.FromMinutes(1)), caps.Budget);
        Assert.Equal(Timeframe.All, caps.Timeframes);
        Assert.Equal("24/7", caps.Calendar);
        Assert.Equal(4, caps.MaxConcurrency);
        Assert.Equal(new Uri("https://api.binance.com"), provider.BaseUrl);
    }

    [Fact]
    public void AddBinance_RegistersOneSharedProvider()
    {
        var registry = new ProviderRegistry().AddBinance();

        var provider = registry.Get("binance");

        Assert.Same(provider, registry.Get("binance"));
        ((IDisposable)provider).Dispose();
    }
}
