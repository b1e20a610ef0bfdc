using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Testing;

namespace Gapless.Providers.Tests.Alpaca;

public class AlpacaProviderPagingTests
{
    [Fact]
    public async Task Fetch_ChunkSpanningSeveralPages_EqualsGroundTruth()
    {
        await using var rig = await AlpacaRig.StartAsync(fake: o => o.MaxPageSize = 100);
        var chunk = AlpacaRig.Chunk(3 * 1440); // three sessions of 1m bars
        var calls = new VendorCallLog();

        var bars = await rig.FetchAsync(chunk, calls);

        BarAssert.Equal(rig.Expected(chunk), bars);
        var requests = rig.Fake.BarsRequests;
        Assert.Equal((bars.Count / 100) + 1, requests.Count);
        Assert.Equal(requests.Count, calls.Calls.Count);
        Assert.False(requests[0].Query.ContainsKey("page_token"));
        Assert.All(requests.Skip(1), r => Assert.True(r.Query.ContainsKey("page_token")));

        // Every page repeats the same query; only the token moves.
        Assert.Single(requests.Select(r => string.Join('&', r.Query.Where(p => p.Key != "page_token").Select(p => $"{p.Key}={p.Value}"))).Distinct());
        Assert.All(requests.SkipLast(1), r => Assert.Equal(100, r.Rows));
        Assert.Equal(bars.Count, calls.Calls.Sum(c => c.Rows));
    }

    [Fact]
    public async Task Fetch_FullLastPage_FollowsTheTokenToAnEmptyPage()
    {
        await using var rig = await AlpacaRig.StartAsync(fake: o => o.MaxPageSize = 10);
        var chunk = AlpacaRig.Chunk(1440);
        var expected = rig.Expected(chunk);
        rig.Fake.ClearRequests();
        var exact = new TimeRange(chunk.FromMs, expected[19].OpenTimeMs + 60_000); // exactly two pages of bars

        var bars = await rig.FetchAsync(exact);

        BarAssert.Equal(expected.Take(20).ToList(), bars);
        Assert.Equal([10, 10, 0], rig.Fake.BarsRequests.Select(r => r.Rows));
    }

    [Fact]
    public async Task FetchMany_PagesEndInTheMiddleOfASymbol_AndEverySymbolEqualsGroundTruth()
    {
        await using var rig = await AlpacaRig.StartAsync(fake: o => o.MaxPageSize = 150);
        var chunk = AlpacaRig.Chunk(1440);
        string[] symbols = ["TSLA", "AAPL", "MSFT"];
        var calls = new VendorCallLog();

        var bars = await rig.Provider.FetchManyAsync(symbols, Timeframe.M1, chunk, calls);

        Assert.Equal(symbols.Order(StringComparer.Ordinal), bars.Keys.Order(StringComparer.Ordinal));
        foreach (var symbol in symbols)
        {
            BarAssert.Equal(rig.Fake.ExpectedBars(symbol, Timeframe.M1, chunk), bars[symbol]);
            Assert.NotEmpty(bars[symbol]);
        }

        var requests = rig.Fake.BarsRequests;
        Assert.All(requests, r => Assert.Equal("/v2/stocks/bars", r.Path));
        Assert.All(requests, r => Assert.Equal("TSLA,AAPL,MSFT", r.Query["symbols"]));
        Assert.Equal("4320", requests[0].Query["limit"]); // 1440 slots × 3 symbols: the limit counts them all
        Assert.Equal(bars.Values.Sum(b => b.Count), requests.Sum(r => r.Rows));
        Assert.Equal(requests.Count, calls.Calls.Count);

        // A page ended inside a symbol: its last symbol is the next page's first.
        Assert.Contains(
            Enumerable.Range(0, requests.Count - 1),
            i => requests[i].SymbolsAnswered.Count > 0 && requests[i + 1].SymbolsAnswered.Count > 0
                && requests[i].SymbolsAnswered[^1] == requests[i + 1].SymbolsAnswered[0]);

        // And a page held two symbols.
        Assert.Contains(requests, r => r.SymbolsAnswered.Count >= 2);
    }

    [Fact]
    public async Task FetchMany_UnknownSymbolIsLeftOutByAlpaca_AndComesBackEmpty()
    {
        await using var rig = await AlpacaRig.StartAsync(fake: o => o.UnknownSymbols.Add("ZZZZ"));
        var chunk = AlpacaRig.Chunk(1440);

        var bars = await rig.Provider.FetchManyAsync(["AAPL", "ZZZZ"], Timeframe.M1, chunk, new VendorCallLog());

        Assert.Empty(bars["ZZZZ"]);
        BarAssert.Equal(rig.Fake.ExpectedBars("AAPL", Timeframe.M1, chunk), bars["AAPL"]);
        Assert.Equal(["AAPL"], Assert.Single(rig.Fake.BarsRequests).SymbolsAnswered);
    }

    [Fact]
    public async Task FetchMany_DailyBars_AreNormalisedForEverySymbol()
    {
        await using var rig = await AlpacaRig.StartAsync(fake: o => o.MaxPageSize = 7);
        var january = TimeRange.Of(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero));

        var bars = await rig.Provider.FetchManyAsync(["AAPL", "META"], Timeframe.D1, january, new VendorCallLog());

        Assert.All(["AAPL", "META"], s => BarAssert.Equal(rig.Fake.ExpectedBars(s, Timeframe.D1, january), bars[s]));
        Assert.Equal(21, bars["META"].Count); // 23 weekdays, less New Year's Day and Martin Luther King Jr. Day
    }

    [Fact]
    public async Task FetchMany_WeekendChunk_MapsEverySymbolToNothing()
    {
        await using var rig = await AlpacaRig.StartAsync();
        var saturday = AlpacaRig.Chunk(1440, from: new DateTimeOffset(2024, 1, 6, 2, 0, 0, TimeSpan.Zero));

        var bars = await rig.Provider.FetchManyAsync(["AAPL", "MSFT"], Timeframe.M1, saturday, new VendorCallLog());

        Assert.Equal(2, bars.Count);
        Assert.All(bars.Values, Assert.Empty);
    }

    [Theory]
    [InlineData("")]
    [InlineData("AAPL|AAPL")]
    [InlineData("AAPL,MSFT")]
    [InlineData(" ")]
    public async Task FetchMany_BadSymbolLists_AreRefusedBeforeAnyRequest(string list)
    {
        var symbols = list.Length == 0 ? [] : list.Split('|');
        await using var rig = await AlpacaRig.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => rig.Provider.FetchManyAsync(symbols, Timeframe.M1, AlpacaRig.Chunk(10), new VendorCallLog()));

        Assert.Empty(rig.Fake.Requests);
    }

    [Fact]
    public async Task FetchMany_MoreSymbolsThanAllowed_AreRefused()
    {
        await using var rig = await AlpacaRig.StartAsync(provider: o => o.MaxSymbolsPerRequest = 2);

        var e = await Assert.ThrowsAsync<ArgumentException>(
            () => rig.Provider.FetchManyAsync(["A", "B", "C"], Timeframe.M1, AlpacaRig.Chunk(10), new VendorCallLog()));

        Assert.StartsWith("alpaca takes 1 to 2 symbols per request, not 3", e.Message, StringComparison.Ordinal);
    }
}
