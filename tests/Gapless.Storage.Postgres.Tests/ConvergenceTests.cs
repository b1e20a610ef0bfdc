using System.Globalization;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Testing.Postgres;
using Gapless.Storage.Sqlite;
using Gapless.Testing;
using Gapless.Testing.Storage;

namespace Gapless.Storage.Postgres.Tests;

/// <summary>Two paths must agree: the same commits into SQLite and PostgreSQL read back identically, to the last digit.</summary>
public sealed class ConvergenceTests : IAsyncLifetime, IDisposable
{
    private const long Minute = 60_000;
    private const long Hour = 3_600_000;
    private const long Day = 86_400_000;

    /// <summary>2024-01-30T00:00:00Z: three days of 1m bars from here cross into February.</summary>
    private const long T0 = 1_706_572_800_000;

    private static readonly Series BtcM1 = new("binance", "BTCUSDT", Timeframe.M1);
    private static readonly Series EthH1 = new("binance", "ETHUSDT", Timeframe.H1);
    private static readonly Series SpyD1 = new("alpaca", "SPY", Timeframe.D1);
    private readonly TempFolder _folder = new();
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await (await TestPostgres.GetAsync()).CreateDatabaseAsync();

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task SameCommits_IntoSqliteAndPostgres_ReadBackIdentically()
    {
        await using var sqlite = await SqliteMarketStore.OpenAsync(_folder.File("gapless.db"));
        await using var postgres = await PostgresMarketStore.OpenAsync(_db.ConnectionString);
        IMarketStore[] stores = [sqlite, postgres];

        var btc = SampleBars.BtcLike(T0, 3 * 1440, seed: 17);
        var calls = new VendorCall[] { new(DateTimeOffset.FromUnixTimeMilliseconds(T0 + (5 * Day)).AddTicks(12_345), "/api/v3/klines?symbol=BTCUSDT", 200, 1000, 2, TimeSpan.FromTicks(123_456_789)) };
        var bad = new QuarantinedBar(btc[1500] with { High = 1.00000000m, Low = 2.00000000m }, "high < low");
        var commits = new List<ChunkCommit>
        {
            // Out of order, overlapping, with a hole backfilled later, a quarantined bar and the calls.
            Commit(BtcM1, btc[2000..3000], calls),
            Commit(BtcM1, btc[..1000]),
            Commit(BtcM1, btc[900..1400]),
            new(BtcM1, Span(BtcM1, btc[1400..2000]), Span(BtcM1, btc[1400..2000]), [.. btc[1400..1500], .. btc[1501..2000]], [bad], calls),
            Commit(BtcM1, btc[3000..]),
            Commit(EthH1, SampleBars.BtcLike(T0 - (40 * Day), 24 * 60, seed: 3, stepMs: Hour)),
            Commit(SpyD1, [new(T0, 480.1m, 482.55m, 479.00m, 481.2m, 61234567m, null, 500123, 480.9876m), new(T0 + Day, 481.2m, 481.3m, 470m, 471m, 9m, null, null, null, T0 + Day + (3 * Hour))]),
        };

        foreach (var store in stores)
        {
            foreach (var commit in commits)
            {
                await store.CommitAsync(commit);
            }

            await store.RecordFailureAsync(new ChunkFailure(BtcM1, new TimeRange(T0 + (3 * Day), T0 + (4 * Day)), calls, "HTTP 503 after 3 attempts"));
        }

        Assert.Equal(await DescribeAsync(sqlite), await DescribeAsync(postgres));
        var read = await postgres.ReadAsync(BtcM1, new TimeRange(T0, T0 + (3 * Day)));
        Assert.Equal(btc.Length - 1, read.Count);
        Assert.Equal(btc[0].Open.ToString(CultureInfo.InvariantCulture), read[0].Open.ToString(CultureInfo.InvariantCulture));
    }

    private static async Task<string> DescribeAsync(IMarketStore store)
    {
        var lines = new List<string>();
        foreach (var summary in await store.ListSeriesAsync(SeriesFilter.All))
        {
            var series = summary.Series;
            lines.Add($"{series} coverage={summary.Coverage} bars={summary.BarCount} first={summary.FirstBarMs} last={summary.LastBarMs} quarantined={summary.QuarantinedCount}");
            var frame = await store.ReadAsync(series, new TimeRange(T0 - (100 * Day), T0 + (100 * Day)));
            lines.AddRange(frame.Select(Text));
            lines.Add(string.Join(", ", new[] { frame.Open, frame.High, frame.Low, frame.Close, frame.Volume, frame.QuoteVolume, frame.Trades, frame.Vwap }.Select(c => c is null ? "-" : $"{c.IsScaled}/{c.Scale}/{c.HasMissing}")));
            lines.AddRange((await store.ReadQuarantineAsync(series)).Select(q => $"Q {Text(q.Bar)} {q.Reason}"));
            lines.AddRange((await store.ReadFetchLogAsync(series)).Select(e => $"L {e}"));
        }

        return string.Join('\n', lines);
    }

    private static string Text(Bar b) => string.Join(
        '|',
        new object?[] { b.OpenTimeMs, b.Open, b.High, b.Low, b.Close, b.Volume, b.QuoteVolume, b.Trades, b.Vwap, b.CutShortAtMs }
            .Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)));

    private static TimeRange Span(Series series, Bar[] bars) => new(bars[0].OpenTimeMs, series.Timeframe.CloseOf(bars[^1].OpenTimeMs));

    private static ChunkCommit Commit(Series series, Bar[] bars, IReadOnlyList<VendorCall>? calls = null)
        => new(series, Span(series, bars), Span(series, bars), bars, [], calls ?? []);
}
