using Gapless.Core.Model;
using Gapless.FakeVendors.Binance;
using Gapless.Storage.Postgres;
using Gapless.Testing;
using Gapless.Testing.Postgres;

namespace Gapless.Cli.Tests;

/// <summary>
/// Several <c>gapless fetch</c> processes sharing one PostgreSQL store: each chunk fetched once, work split, and a
/// killed worker's chunks finished by the others.
/// </summary>
public sealed class SharedPostgresWorkersTests : IDisposable
{
    private static readonly Series Series = new("binance", "BTCUSDT", Timeframe.M1);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string Url(TestDatabase db) => $"postgres://{db.Username}@{db.Host}:{db.Port}/{db.Name}";

    private static string[] Fetch(string from, string to)
        => ["fetch", "--provider", "binance", "--symbol", "BTCUSDT", "--timeframe", "1m", "--from", from, "--to", to, "--json"];

    private static TimeRange Days(int fromDay, int toDayInclusive) => new(
        UtcTime.ToEpochMs(new DateTimeOffset(2024, 1, fromDay, 0, 0, 0, TimeSpan.Zero)),
        UtcTime.ToEpochMs(new DateTimeOffset(2024, 1, toDayInclusive, 0, 0, 0, TimeSpan.Zero).AddDays(1)));

    [Fact]
    public async Task FourWorkers_SameRange_SendExactlyTheMinimumKlinesRequestsInTotal()
    {
        var (fake, db, cli) = await StartAsync();
        await using var _ = fake;
        await using var __ = db;

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => cli.RunAsync(Fetch("2024-01-01", "2024-01-20"))));

        Assert.All(runs, CliAssert.Succeeded);
        await AssertCompleteAsync(fake, db, Days(1, 20), extraAllowed: 0);
    }

    [Fact]
    public async Task FourWorkers_OverlappingRangesEndingAtDifferentDays_SendExactlyTheMinimumKlinesRequestsInTotal()
    {
        var (fake, db, cli) = await StartAsync();
        await using var _ = fake;
        await using var __ = db;

        var runs = await Task.WhenAll(
            cli.RunAsync(Fetch("2024-01-01", "2024-01-10")),
            cli.RunAsync(Fetch("2024-01-01", "2024-01-20")),
            cli.RunAsync(Fetch("2024-01-01", "2024-01-14")),
            cli.RunAsync(Fetch("2024-01-01", "2024-01-20")));

        // Claims are planned from the front of what is free and a range's last chunk runs on to a full request, so
        // every worker cuts the same 1000-bar chunks whatever day its range ends on.
        Assert.All(runs, CliAssert.Succeeded);
        await AssertCompleteAsync(fake, db, Days(1, 20), extraAllowed: 0);
    }

    private async Task<(FakeBinance Fake, TestDatabase Db, CliRunner Cli)> StartAsync()
    {
        var db = await TestPostgres.NewDatabaseAsync();
        var options = FakeBinanceOptions.WithBtcUsdt();
        options.SlowAnswerRate = 1.0; // every answer takes a while, so the workers really overlap
        options.SlowDelay = TimeSpan.FromMilliseconds(40);
        var fake = await FakeBinance.StartAsync(options);
        return (fake, db, new CliRunner(Url(db), _folder.Path).With("GAPLESS_BINANCE_URL", fake.BaseUrl.ToString()));
    }

    private static async Task AssertCompleteAsync(FakeBinance fake, TestDatabase db, TimeRange union, int extraAllowed)
    {
        var minimum = (Timeframe.M1.CountBars(union) + 999) / 1000;
        var klines = fake.KlinesRequests;
        Assert.InRange(klines.Count, minimum, minimum + extraAllowed);
        var asked = klines.Select(r => Window(r.PathAndQuery)).ToList();
        for (var i = 0; i < asked.Count; i++)
        {
            for (var j = i + 1; j < asked.Count; j++)
            {
                Assert.False(asked[i].Overlaps(asked[j]), $"{asked[i]} and {asked[j]} were both fetched");
            }
        }

        await using var store = await PostgresMarketStore.OpenAsync(db.ConnectionString);
        AssertCoversWithWholeLastChunk(await store.GetCoverageAsync(Series), union);
        Assert.Equal(fake.ExpectedBars("BTCUSDT", Timeframe.M1, union), await store.ReadAsync(Series, union));
    }

    /// <summary>Coverage is the range, with the last chunk run on to a full request (ExtendLastChunk).</summary>
    private static void AssertCoversWithWholeLastChunk(RangeSet coverage, TimeRange range)
    {
        var chunks = (Timeframe.M1.CountBars(range) + 999) / 1000;
        Assert.Equal(RangeSet.Of(new TimeRange(range.FromMs, Timeframe.M1.Add(range.FromMs, chunks * 1000))), coverage);
    }

    private static TimeRange Window(string pathAndQuery)
    {
        var query = pathAndQuery.Split('?')[1].Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        return new TimeRange(long.Parse(query["startTime"], System.Globalization.CultureInfo.InvariantCulture), long.Parse(query["endTime"], System.Globalization.CultureInfo.InvariantCulture) + 1);
    }

    [Fact]
    public async Task FourWorkers_OneKilledMidRun_TheOthersFinishWithAtMostItsInFlightChunksExtra()
    {
        await using var db = await TestPostgres.NewDatabaseAsync();
        var options = FakeBinanceOptions.WithBtcUsdt();
        options.SlowAnswerRate = 1.0;
        options.SlowDelay = TimeSpan.FromMilliseconds(100);
        await using var fake = await FakeBinance.StartAsync(options);
        var cli = new CliRunner(Url(db), _folder.Path).With("GAPLESS_BINANCE_URL", fake.BaseUrl.ToString());
        var range = Days(1, 30);
        var minimum = (Timeframe.M1.CountBars(range) + 999) / 1000;
        string[] fetch = Fetch("2024-01-01", "2024-01-30");

        using var victim = cli.Start(fetch);
        var others = Enumerable.Range(0, 3).Select(_ => cli.RunAsync(fetch)).ToList();
        for (var i = 0; i < 400 && fake.KlinesRequests.Count < 12; i++)
        {
            await Task.Delay(25);
        }

        victim.Kill();
        await victim.WaitForExitAsync();
        var runs = await Task.WhenAll(others);

        Assert.All(runs, CliAssert.Succeeded);
        var klines = fake.KlinesRequests.Count;
        Assert.InRange(klines, minimum, minimum + 4); // the victim had at most 4 chunks in flight
        await using var store = await PostgresMarketStore.OpenAsync(db.ConnectionString);
        AssertCoversWithWholeLastChunk(await store.GetCoverageAsync(Series), range);
        Assert.Equal(fake.ExpectedBars("BTCUSDT", Timeframe.M1, range), await store.ReadAsync(Series, range));
    }
}
