using System.Globalization;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Testing.Postgres;
using Gapless.Testing.Storage;

namespace Gapless.Storage.Postgres.Tests;

/// <summary>What a psql user sees: monthly partitions made on demand, plain SQL types with the vendor's scale, the view, db info.</summary>
public sealed class PostgresSchemaTests : IAsyncLifetime
{
    private const long Minute = 60_000;
    private const long Hour = 3_600_000;

    /// <summary>2024-01-01T00:00:00Z.</summary>
    private const long T0 = 1_704_067_200_000;

    private static readonly Series BtcM1 = new("binance", "BTCUSDT", Timeframe.M1);
    private static readonly Series BtcH1 = new("binance", "BTCUSDT", Timeframe.H1);
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await (await TestPostgres.GetAsync()).CreateDatabaseAsync();

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();

    [Fact]
    public async Task Commit_AcrossMonths_CreatesTheirPartitionsAndReadsAcrossThem()
    {
        await using var store = await PostgresMarketStore.OpenAsync(_db.ConnectionString);
        var bars = SampleBars.BtcLike(T0 + (20 * 24 * Hour), 24 * 50, seed: 2, stepMs: Hour); // Jan 21 .. Mar 11
        await store.CommitAsync(Chunk(BtcH1, bars));

        var info = await store.GetInfoAsync();
        Assert.Equal(["bars_2024_01", "bars_2024_02", "bars_2024_03"], info.Partitions.Select(p => p.Name));
        Assert.Equal(new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero), info.Partitions[1].From);
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero), info.Partitions[1].To);
        Assert.Equal((long)bars.Length, await _db.ScalarAsync("SELECT count(*) FROM bars"));
        Assert.Equal(24L * 29, await _db.ScalarAsync("SELECT count(*) FROM bars_2024_02"));
        AssertSame(bars, await store.ReadAsync(BtcH1, new TimeRange(T0, T0 + (90 * 24 * Hour))));
    }

    [Fact]
    public async Task Commit_OfMonthlyBarsOverYears_PutsEachInTheMonthItOpens()
    {
        await using var store = await PostgresMarketStore.OpenAsync(_db.ConnectionString);
        var monthly = new Series("binance", "BTCUSDT", Timeframe.Month1);
        var opens = Enumerable.Range(0, 30).Select(i => Timeframe.Month1.Add(T0, i)).ToArray();
        var bars = opens.Select(t => SampleBars.Simple(t, 40_000m)).ToArray();
        await store.CommitAsync(new ChunkCommit(monthly, new TimeRange(opens[0], Timeframe.Month1.Add(opens[^1], 1)), new TimeRange(opens[0], Timeframe.Month1.Add(opens[^1], 1)), bars, [], []));

        var info = await store.GetInfoAsync();
        Assert.Equal(30, info.Partitions.Count);
        Assert.Equal("bars_2026_06", info.Partitions[^1].Name);
        AssertSame(bars, await store.ReadAsync(monthly, new TimeRange(T0, Timeframe.Month1.Add(T0, 40))));
    }

    [Fact]
    public async Task ConcurrentCommits_IntoNewMonths_FromSeveralInstances_CreateEachPartitionOnce()
    {
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgresMarketStore.OpenAsync(_db.ConnectionString)));
        try
        {
            // Twelve series, each committing the same three months at once from four instances.
            var commits = Enumerable.Range(0, 12).Select(i =>
            {
                var series = new Series("binance", $"SYM{i}", Timeframe.H1);
                return stores[i % 4].CommitAsync(Chunk(series, SampleBars.Range(T0 + (25 * 24 * Hour), T0 + (70 * 24 * Hour), Hour)));
            });
            var results = await Task.WhenAll(commits);

            Assert.All(results, r => Assert.Equal(45 * 24, r.BarsStored));
            Assert.Equal(["bars_2024_01", "bars_2024_02", "bars_2024_03"], (await stores[0].GetInfoAsync()).Partitions.Select(p => p.Name));
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
    public async Task Numeric_KeepsTheVendorsScale_InSqlAndInGapless()
    {
        await using var store = await PostgresMarketStore.OpenAsync(_db.ConnectionString);
        Bar[] bars =
        [
            new(T0, 42000.01000000m, 42010.50000000m, 41990.00000000m, 42000.00000000m, 12.34500000m, 518283.12345000m, 812, 42001.1234567890123m),
            new(T0 + Minute, 0.00000001m, 0.00000002m, 0.00000001m, 0.00000002m, 123456789.12345678m, null, null, null, T0 + Minute + 30_000),
        ];
        await store.CommitAsync(Chunk(BtcM1, bars));

        Assert.Equal("42000.01000000", await _db.ScalarAsync("SELECT open::text FROM gapless_bars WHERE symbol = 'BTCUSDT' ORDER BY open_time LIMIT 1"));
        Assert.Equal("42001.1234567890123", await _db.ScalarAsync("SELECT vwap::text FROM bars ORDER BY open_time LIMIT 1"));
        Assert.Equal("2024-01-01 00:01:30+00", await _db.ScalarAsync("SELECT cut_short_at::text FROM bars WHERE cut_short_at IS NOT NULL"));
        var read = await store.ReadAsync(BtcM1, new TimeRange(T0, T0 + Hour));
        Assert.Equal(bars, read.ToArray());
        Assert.Equal("42000.01000000", read[0].Open.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("12.34500000", read[0].Volume.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task View_LetsPsqlUsersQueryBarsAndCoverageByName()
    {
        await using var store = await PostgresMarketStore.OpenAsync(_db.ConnectionString);
        await store.CommitAsync(Chunk(BtcM1, SampleBars.Range(T0, T0 + (90 * Minute))));
        await store.CommitAsync(Chunk(new Series("binance", "ETHUSDT", Timeframe.M1), SampleBars.Range(T0, T0 + (30 * Minute))));

        Assert.Equal(90L, await _db.ScalarAsync("SELECT count(*) FROM gapless_bars WHERE symbol = 'BTCUSDT' AND timeframe = '1m'"));
        Assert.Equal(
            "binance BTCUSDT 1m 2024-01-01 00:00:00+00 2024-01-01 01:30:00+00",
            await _db.ScalarAsync("SELECT concat_ws(' ', provider, symbol, timeframe, from_time, to_time) FROM gapless_coverage WHERE symbol = 'BTCUSDT'"));
    }

    [Fact]
    public async Task Info_ReportsKindVersionCountsSizeAndPartitions()
    {
        await using var store = await PostgresMarketStore.OpenAsync(_db.ConnectionString);
        var bad = new QuarantinedBar(SampleBars.Simple(T0 + (100 * Minute), 5m) with { Volume = -1m }, "negative volume");
        var covered = new TimeRange(T0, T0 + (101 * Minute));
        await store.CommitAsync(new ChunkCommit(BtcM1, covered, covered, SampleBars.Range(T0, T0 + (100 * Minute)), [bad], [new(DateTimeOffset.UnixEpoch, "/klines", 200, 101, 2, TimeSpan.FromMilliseconds(3))]));
        await store.CommitAsync(Chunk(BtcH1, SampleBars.Range(T0, T0 + (5 * Hour), Hour)));

        var info = await store.GetInfoAsync();

        Assert.Equal(("postgres", store.Location, PostgresMarketStore.LatestSchemaVersion), (info.Kind, info.Location, info.SchemaVersion));
        Assert.Equal((2L, 105L, 1L, 1L), (info.SeriesCount, info.BarCount, info.QuarantinedCount, info.FetchLogCount));
        Assert.Matches(@"^\d+", info.ServerVersion);
        Assert.True(info.SizeBytes > 0);
        var partition = Assert.Single(info.Partitions);
        Assert.True(partition.SizeBytes > 0);
        Assert.DoesNotContain("password", info.Location, StringComparison.OrdinalIgnoreCase);
    }

    private static ChunkCommit Chunk(Series series, Bar[] bars)
    {
        var covered = new TimeRange(bars[0].OpenTimeMs, series.Timeframe.CloseOf(bars[^1].OpenTimeMs));
        return new ChunkCommit(series, covered, covered, bars, [], []);
    }

    private static void AssertSame(Bar[] expected, BarFrame actual)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }
    }
}
