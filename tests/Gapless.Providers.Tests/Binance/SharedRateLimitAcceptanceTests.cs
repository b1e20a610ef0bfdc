using Gapless.Core.Model;
using Gapless.FakeVendors.Binance;
using Gapless.Providers.Binance;
using Gapless.Storage.Postgres;
using Gapless.Testing.Postgres;
using Xunit.Abstractions;

namespace Gapless.Providers.Tests.Binance;

/// <summary>
/// Issue 3's check, in one process: four workers (each its own provider, HTTP client and store on one PostgreSQL
/// database) fetch different ranges at once from one fake Binance whose weight limit is low and window short, with
/// 429s injected. Sharing the store's rate budget, they stay inside the limit together; without it, they do not.
/// </summary>
public sealed class SharedRateLimitAcceptanceTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Workers = 4;
    private const int ChunksPerWorker = 6;
    private const int Limit = 60;

    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestPostgres.NewDatabaseAsync();

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();

    [Fact]
    public async Task FourWorkers_SharingTheStoresBudget_GetNo418_SendNothingInsideRetryAfter_AndStayInsideTheLimit()
    {
        await using var fake = await StartFakeAsync();
        var stores = await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => PostgresMarketStore.OpenAsync(_db.ConnectionString)));
        try
        {
            var (results, failures) = await RunWorkersAsync(fake, stores);

            var log = fake.Requests;
            Describe(log);
            Assert.Empty(failures);
            Assert.DoesNotContain(log, r => r.Status == 418 || r.InsideRetryAfter);
            Assert.DoesNotContain(log, r => r.Fault == "weight"); // never over the fake's limit: its 429s were all injected
            Assert.Contains(log, r => r.Fault == "429"); // and there were some to honour
            foreach (var (chunk, bars) in results)
            {
                Assert.Equal(fake.ExpectedBars("BTCUSDT", Timeframe.M1, chunk), bars);
            }
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task FourWorkers_EachWithItsOwnLimiterOnly_RunOverTheLimit()
    {
        await using var fake = await StartFakeAsync();

        await RunWorkersAsync(fake, stores: null);
        Describe(fake.Requests);

        // Each worker alone keeps to the limit; four of them send up to four times it.
        Assert.Contains(fake.Requests, r => r.Fault == "weight");
    }

    private void Describe(IReadOnlyList<FakeBinanceRequest> log)
    {
        var windows = log.Where(r => r.Status is 200 or 429).GroupBy(r => r.At.ToUnixTimeMilliseconds() / 2000).Select(g => g.Sum(r => r.Weight));
        output.WriteLine(
            $"{log.Count} requests: {log.Count(r => r.Status == 200)} answered, {log.Count(r => r.Fault == "429")} injected 429s, "
            + $"{log.Count(r => r.Fault == "weight")} 429s for weight, {log.Count(r => r.Status == 418)} 418s, "
            + $"{log.Count(r => r.InsideRetryAfter)} inside a Retry-After; weight per 2 s window: {string.Join(' ', windows)}");
    }

    private static async Task<FakeBinance> StartFakeAsync()
    {
        var options = FakeBinanceOptions.WithBtcUsdt();
        options.RateLimits.Add(FakeRateLimit.Weight(Limit, "SECOND", 2));
        options.TooManyRequestsRate = 0.10; // faults are seeded per request: with seed 42 some of the 24 chunks meet a 429
        options.InjectedRetryAfterSeconds = 1;
        options.BanDuration = TimeSpan.FromSeconds(2);
        return await FakeBinance.StartAsync(options);
    }

    /// <summary>Each worker fetches its own six 100-bar chunks, all at once; returns what was fetched and what failed.</summary>
    private static async Task<(List<(TimeRange Chunk, IReadOnlyList<Bar> Bars)> Results, List<Exception> Failures)> RunWorkersAsync(
        FakeBinance fake, PostgresMarketStore[]? stores)
    {
        var providers = Enumerable.Range(0, Workers).Select(w => BinanceRegistration.CreateProvider(new BinanceOptions
        {
            BaseUrl = fake.BaseUrl,
            MaxRetries = 8,
            BaseDelay = TimeSpan.FromMilliseconds(10),
            MaxDelay = TimeSpan.FromMilliseconds(200),
            AttemptTimeout = TimeSpan.FromSeconds(5),
            DefaultBudget = new(Limit, TimeSpan.FromSeconds(2)), // known up front, so exchangeInfo requests are counted too
            SafetyMarginWeight = 4,
            SharedRateLimits = stores?[w].SharedRateLimits,
        })).ToList();
        var results = new List<(TimeRange, IReadOnlyList<Bar>)>();
        var failures = new List<Exception>();
        try
        {
            var fetches = providers.SelectMany((provider, w) => Enumerable.Range(w * ChunksPerWorker, ChunksPerWorker).Select(async i =>
            {
                var chunk = BinanceRig.Chunk(i, 100);
                try
                {
                    var bars = await provider.FetchAsync(BinanceRig.Btc(), chunk, new());
                    lock (results)
                    {
                        results.Add((chunk, bars));
                    }
                }
                catch (Exception e) when (e is Core.Errors.GaplessException)
                {
                    lock (failures)
                    {
                        failures.Add(e);
                    }
                }
            }));
            await Task.WhenAll(fetches);
        }
        finally
        {
            providers.ForEach(p => p.Dispose());
        }

        return (results, failures);
    }
}
