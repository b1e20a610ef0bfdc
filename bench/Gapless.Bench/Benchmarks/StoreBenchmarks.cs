using Gapless.Bench.Harness;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Gapless.Bench.Benchmarks;

/// <summary>Ingest, read and size of the embedded store, on BTC-like 1m bars in a real SQLite file.</summary>
internal sealed class StoreBenchmarks(string folder, int iterations)
{
    private static readonly Series Series = new("binance", "BTCUSDT", Timeframe.M1);
    private static readonly DateTimeOffset Start = new(2023, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public async Task<IReadOnlyList<Result>> RunAsync()
    {
        var results = new List<Result>();
        var halfYear = BenchData.Minutes(Start, 180 * 1440).ToArray();
        var year = BenchData.Minutes(Start, 365 * 1440).ToArray();

        // As the sync engine writes: one transaction per 1000-bar vendor chunk.
        var ingest = await MeasureIngestAsync("ingest, one commit per 1000-bar chunk", halfYear, 1000);
        results.Add(Result.Rate(ingest, halfYear.Length, "bars/s", 5_000_000, higherIsBetter: true));

        // As an import or a backfill with large pages writes: one transaction per 30 days.
        var bulk = await MeasureIngestAsync("ingest, one commit per 30 days", halfYear, 30 * 1440);
        results.Add(Result.Rate(bulk, halfYear.Length, "bars/s", 5_000_000, higherIsBetter: true));

        var path = Path.Combine(folder, "read.db");
        await FillAsync(path, year, 1000);
        await using (var store = await SqliteMarketStore.OpenAsync(path))
        {
            var range = new TimeRange(year[0].OpenTimeMs, year[^1].OpenTimeMs + 60_000);
            BarFrame? frame = null;
            var read = await Measurement.RunAsync("read one year of 1m bars into a BarFrame", iterations, () => Task.CompletedTask, async () => frame = await store.ReadAsync(Series, range));
            if (frame!.Count != year.Length)
            {
                throw new InvalidOperationException($"read {frame.Count} bars, expected {year.Length}");
            }

            results.Add(Result.Rate(read, year.Length, "bars/s", 20_000_000, higherIsBetter: true));
        }

        var (blobBytes, fileBytes) = await SizesAsync(path);
        results.Add(new Result("stored size: segment bytes per 1m bar, Binance fields (OHLCV, quote volume, trades)", (double)blobBytes / year.Length, "bytes/bar", 12, HigherIsBetter: false));
        results.Add(new Result("stored size: file bytes per 1m bar (pages, indexes, coverage)", (double)fileBytes / year.Length, "bytes/bar", null, HigherIsBetter: false));

        // Quote volume = volume × VWAP carries ~34 bits of its own per bar (where the VWAP falls in the bar's range):
        // the same bars without it show what the rest costs.
        var withoutQuote = year.Select(b => b with { QuoteVolume = null }).ToArray();
        var plainPath = Path.Combine(folder, "plain.db");
        await FillAsync(plainPath, withoutQuote, 1440);
        var (plainBlob, _) = await SizesAsync(plainPath);
        results.Add(new Result("stored size: segment bytes per 1m bar, OHLCV and trades only", (double)plainBlob / year.Length, "bytes/bar", 12, HigherIsBetter: false));
        return results;
    }

    /// <summary>
    /// Times the commits alone: each run opens a fresh store file first (schema creation) and closes it after
    /// (the final WAL checkpoint), both untimed, because they are fixed costs of a store, not of ingesting bars.
    /// </summary>
    private async Task<Measurement> MeasureIngestAsync(string name, Bar[] bars, int barsPerCommit)
    {
        var path = Path.Combine(folder, "ingest.db");
        SqliteMarketStore? store = null;
        try
        {
            return await Measurement.RunAsync(
                name,
                iterations,
                async () =>
                {
                    if (store is not null)
                    {
                        await store.DisposeAsync();
                    }

                    Delete(path);
                    store = await SqliteMarketStore.OpenAsync(path);
                },
                () => CommitAllAsync(store!, bars, barsPerCommit));
        }
        finally
        {
            if (store is not null)
            {
                await store.DisposeAsync();
            }
        }
    }

    private static async Task FillAsync(string path, Bar[] all, int barsPerCommit)
    {
        Delete(path);
        await using var store = await SqliteMarketStore.OpenAsync(path);
        await CommitAllAsync(store, all, barsPerCommit);
    }

    private static async Task CommitAllAsync(SqliteMarketStore store, Bar[] all, int barsPerCommit)
    {
        for (var i = 0; i < all.Length; i += barsPerCommit)
        {
            // A view, not a copy: the benchmark measures the store, not List.GetRange.
            var slice = new ArraySegment<Bar>(all, i, Math.Min(barsPerCommit, all.Length - i));
            var chunk = new TimeRange(slice[0].OpenTimeMs, slice[^1].OpenTimeMs + 60_000);
            await store.CommitAsync(new ChunkCommit(Series, chunk, chunk, slice, [], []));
        }
    }

    private static async Task<(long Blob, long File)> SizesAsync(string path)
    {
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE); VACUUM;";
            await checkpoint.ExecuteNonQueryAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT sum(length(data)) FROM segments";
            var blob = Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            return (blob, new FileInfo(path).Length);
        }
    }

    private static void Delete(string path)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }
    }
}
