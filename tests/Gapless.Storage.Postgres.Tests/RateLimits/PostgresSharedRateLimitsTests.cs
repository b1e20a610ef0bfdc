using Gapless.Core.Errors;
using Gapless.Core.Ports;
using Gapless.Testing.Postgres;

namespace Gapless.Storage.Postgres.Tests.RateLimits;

/// <summary>The shared rate budget on a real server: windows by the database's clock, refusals, waits, pauses, sweeps.</summary>
public sealed class PostgresSharedRateLimitsTests : IAsyncLifetime
{
    private const string Vendor = "binance:api.binance.com";

    // An hour: semantics tests must not cross a window's end (a chance of a few ms in an hour).
    private static readonly RateBudget Hourly = new(10, TimeSpan.FromHours(1));

    private TestDatabase _db = null!;
    private PostgresMarketStore _store = null!;

    private ISharedRateLimits Limits => _store.SharedRateLimits;

    public async Task InitializeAsync()
    {
        _db = await TestPostgres.NewDatabaseAsync();
        _store = await PostgresMarketStore.OpenAsync(_db.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task Open_AVersion2Store_AddsTheRateTables_Unlogged()
    {
        await using var db = await TestPostgres.NewDatabaseAsync();
        await using (var source = db.OpenDataSource())
        await using (var connection = await source.OpenConnectionAsync())
        {
            Assert.Equal(2, await Internal.Migrations.ApplyAsync(connection, "test", TimeProvider.System, 2, CancellationToken.None));
        }

        await using var store = await PostgresMarketStore.OpenAsync(db.ConnectionString);

        Assert.Equal(PostgresMarketStore.LatestSchemaVersion, store.SchemaVersion);
        Assert.Equal(TimeSpan.Zero, await store.SharedRateLimits.TrySpendAsync(Vendor, 1, Hourly));
        Assert.Equal("rate_pauses:u rate_windows:u", await db.ScalarAsync(
            "SELECT string_agg(relname || ':' || relpersistence::text, ' ' ORDER BY relname) FROM pg_class WHERE relname IN ('rate_windows', 'rate_pauses')"));
    }

    [Fact]
    public async Task TrySpend_InAnEmptyWindow_SpendsInAWindowAlignedOnTheDatabaseClock()
    {
        Assert.Equal(TimeSpan.Zero, await Limits.TrySpendAsync(Vendor, 3, Hourly));

        Assert.Equal(3, await _db.ScalarAsync("SELECT used FROM rate_windows"));
        Assert.Equal(TimeSpan.FromHours(1), await _db.ScalarAsync("SELECT window_length FROM rate_windows"));
        Assert.Equal(true, await _db.ScalarAsync(
            "SELECT window_start = date_trunc('hour', clock_timestamp()) FROM rate_windows"));
    }

    [Fact]
    public async Task TrySpend_WhenTheWindowIsFull_RefusesWithTheWaitToItsEnd_AndSpendsNothing()
    {
        Assert.Equal(TimeSpan.Zero, await Limits.TrySpendAsync(Vendor, 4, Hourly));
        Assert.Equal(TimeSpan.Zero, await Limits.TrySpendAsync(Vendor, 4, Hourly));

        var wait = await Limits.TrySpendAsync(Vendor, 4, Hourly);

        var toWindowEnd = (TimeSpan)(await _db.ScalarAsync("SELECT date_trunc('hour', clock_timestamp()) + interval '1 hour' - clock_timestamp()"))!;
        Assert.InRange(wait, toWindowEnd, toWindowEnd + TimeSpan.FromSeconds(5));
        Assert.Equal(8, await _db.ScalarAsync("SELECT used FROM rate_windows"));
        Assert.Equal(TimeSpan.Zero, await Limits.TrySpendAsync(Vendor, 2, Hourly)); // exactly the budget fits
        Assert.True(await Limits.TrySpendAsync(Vendor, 1, Hourly) > TimeSpan.Zero);
        Assert.Equal(10, await _db.ScalarAsync("SELECT used FROM rate_windows"));
    }

    [Fact]
    public async Task TrySpend_AfterTheWindowEnds_CountsFromZeroInTheNext()
    {
        var budget = new RateBudget(2, TimeSpan.FromMilliseconds(500));
        while (await Limits.TrySpendAsync(Vendor, 2, budget) != TimeSpan.Zero)
        {
            // a window just started between two statements: spend again in it
        }

        var wait = await Limits.TrySpendAsync(Vendor, 1, budget);
        Assert.InRange(wait, TimeSpan.FromTicks(1), TimeSpan.FromMilliseconds(500));

        // A timer may fire a fraction of a millisecond early; a few milliseconds later is still the next window.
        await Task.Delay(wait + TimeSpan.FromMilliseconds(5));
        Assert.Equal(TimeSpan.Zero, await Limits.TrySpendAsync(Vendor, 2, budget));

        Assert.Equal(2L, await _db.ScalarAsync("SELECT count(*) FROM rate_windows WHERE used = 2"));
        Assert.Equal(true, await _db.ScalarAsync(
            "SELECT bool_and(extract(epoch FROM window_start) * 1000 % 500 = 0) AND max(window_start) - min(window_start) = interval '500 ms' FROM rate_windows"));
    }

    [Fact]
    public async Task TrySpend_VendorsAndWindowLengths_HaveBudgetsOfTheirOwn()
    {
        Assert.Equal(TimeSpan.Zero, await Limits.TrySpendAsync(Vendor, 10, Hourly));

        Assert.Equal(TimeSpan.Zero, await Limits.TrySpendAsync("binance:data-api.binance.vision", 10, Hourly));
        Assert.Equal(TimeSpan.Zero, await Limits.TrySpendAsync(Vendor, 10, Hourly with { Window = TimeSpan.FromDays(1) }));
        Assert.True(await Limits.TrySpendAsync(Vendor, 1, Hourly) > TimeSpan.Zero);
    }

    [Fact]
    public async Task TrySpend_AWeightBeyondTheWholeBudget_IsRefusedAsAnError()
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Limits.TrySpendAsync(Vendor, 11, Hourly));

        Assert.Contains("a request of weight 11 never fits a budget of 10 per 01:00:00", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ObserveUsed_RaisesTheWindowsCount_NeverLowersIt()
    {
        Assert.Equal(TimeSpan.Zero, await Limits.TrySpendAsync(Vendor, 2, Hourly));

        await Limits.ObserveUsedAsync(Vendor, Hourly, 7);
        await Limits.ObserveUsedAsync(Vendor, Hourly, 3);

        Assert.Equal(7, await _db.ScalarAsync("SELECT used FROM rate_windows"));
        Assert.True(await Limits.TrySpendAsync(Vendor, 4, Hourly) > TimeSpan.Zero);
        Assert.Equal(TimeSpan.Zero, await Limits.TrySpendAsync(Vendor, 3, Hourly));
    }

    [Fact]
    public async Task ObserveUsed_InAWindowNobodySpentIn_StartsItThere()
    {
        await Limits.ObserveUsedAsync(Vendor, Hourly, 9);

        Assert.True(await Limits.TrySpendAsync(Vendor, 2, Hourly) > TimeSpan.Zero);
        Assert.Equal(TimeSpan.Zero, await Limits.TrySpendAsync(Vendor, 1, Hourly));
    }

    [Fact]
    public async Task Pause_RefusesEverySpendUntilItEnds_WithTheWaitToItsEnd()
    {
        var until = TimeProvider.System.GetUtcNow() + TimeSpan.FromMilliseconds(600);
        await Limits.PauseAsync(Vendor, until);

        var wait = await Limits.TrySpendAsync(Vendor, 1, Hourly);

        Assert.InRange(wait, TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(600));
        Assert.Equal(0L, await _db.ScalarAsync("SELECT count(*) FROM rate_windows")); // nothing spent
        Assert.Equal(TimeSpan.Zero, await Limits.TrySpendAsync("binance:other-host", 1, Hourly)); // another vendor goes on
        await Task.Delay(wait);
        Assert.Equal(TimeSpan.Zero, await Limits.TrySpendAsync(Vendor, 1, Hourly));
    }

    [Fact]
    public async Task Pause_IsNeverShortened_AndAnEndedOneStopsNothing()
    {
        var now = TimeProvider.System.GetUtcNow();
        await Limits.PauseAsync(Vendor, now + TimeSpan.FromHours(1));
        await Limits.PauseAsync(Vendor, now + TimeSpan.FromSeconds(1));

        Assert.InRange(await Limits.TrySpendAsync(Vendor, 1, Hourly), TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        await Limits.PauseAsync("binance:other-host", now - TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, await Limits.TrySpendAsync("binance:other-host", 1, Hourly));
    }

    [Fact]
    public async Task TrySpend_FirstOfAStore_DeletesWindowsAndPausesEndedMoreThanADayAgo()
    {
        await _db.ScalarAsync(
            """
            INSERT INTO rate_windows VALUES
                ('old', interval '1 minute', date_trunc('minute', now()) - interval '2 days', 5),
                ('recent', interval '1 minute', date_trunc('minute', now()) - interval '2 hours', 5);
            INSERT INTO rate_pauses VALUES ('old', now() - interval '25 hours'), ('recent', now() - interval '1 hour');
            """);
        await using var worker = await PostgresMarketStore.OpenAsync(_db.ConnectionString);

        Assert.Equal(TimeSpan.Zero, await worker.SharedRateLimits.TrySpendAsync(Vendor, 1, Hourly));

        Assert.Equal("recent", await _db.ScalarAsync("SELECT string_agg(vendor, ',') FROM rate_windows WHERE vendor <> 'binance:api.binance.com'"));
        Assert.Equal("recent", await _db.ScalarAsync("SELECT string_agg(vendor, ',') FROM rate_pauses"));
    }

    [Fact]
    public async Task TrySpend_WhenTheDatabaseIsGone_FailsSayingNothingIsSent()
    {
        await _db.Server.DropDatabaseAsync(_db.Name);

        var error = await Assert.ThrowsAsync<StoreException>(() => Limits.TrySpendAsync(Vendor, 1, Hourly));

        Assert.StartsWith("The shared rate budget of binance:api.binance.com could not be spent, so nothing is sent to it: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    /// <summary>8 tasks on each of 4 stores (4 processes' worth of sessions) hammer a budget of 100 per 2 s.</summary>
    [Fact]
    public async Task TrySpend_ManySpendersOnSeveralStores_NeverTakeAWindowPastItsBudget_AndLoseNoSpend()
    {
        var budget = new RateBudget(100, TimeSpan.FromSeconds(2));
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgresMarketStore.OpenAsync(_db.ConnectionString)));
        long granted = 0;
        try
        {
            var until = TimeProvider.System.GetTimestamp() + (long)(4.5 * TimeProvider.System.TimestampFrequency);
            var spenders = stores.SelectMany(store => Enumerable.Range(0, 8).Select(seed => Task.Run(async () =>
            {
                var dice = new Random(seed);
                while (TimeProvider.System.GetTimestamp() < until)
                {
                    var weight = dice.Next(1, 6);
                    var wait = await store.SharedRateLimits.TrySpendAsync("fake", weight, budget);
                    if (wait == TimeSpan.Zero)
                    {
                        Interlocked.Add(ref granted, weight);
                    }
                    else
                    {
                        await Task.Delay(wait < TimeSpan.FromMilliseconds(5) ? wait : TimeSpan.FromMilliseconds(5));
                    }
                }
            })));
            await Task.WhenAll(spenders);
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }

        var windows = (long)(await _db.ScalarAsync("SELECT count(*) FROM rate_windows WHERE vendor = 'fake'"))!;
        Assert.InRange(windows, 2L, 4L);
        Assert.Equal(granted, (long)(await _db.ScalarAsync("SELECT sum(used) FROM rate_windows WHERE vendor = 'fake'"))!);
        Assert.Equal(100, await _db.ScalarAsync("SELECT max(used) FROM rate_windows WHERE vendor = 'fake'"));
    }
}
