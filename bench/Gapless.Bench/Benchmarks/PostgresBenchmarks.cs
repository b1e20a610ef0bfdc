using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Gapless.Bench.Harness;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Storage.Postgres;
using Gapless.Storage.Postgres.Internal;
using Gapless.Testing.Postgres;
using Npgsql;

namespace Gapless.Bench.Benchmarks;

/// <summary>
/// Ingest and read of the PostgreSQL store, each beside <c>psql</c>'s own binary <c>\copy</c> of the same rows in the
/// same run, on the same server: a throwaway PostgreSQL started from the machine's binaries on 127.0.0.1 (or the
/// server named by <c>GAPLESS_TEST_POSTGRES</c>), one fresh database.
/// <para>
/// Ingest: before every run <c>bars</c> is truncated (its monthly partitions stay), so Gapless and psql write into
/// the same empty, already partitioned table with its primary key. Gapless commits the bars into a new series per run
/// (the series row is created by the first commit), either as the sync engine does (one commit per 1000-bar vendor
/// chunk, each with its coverage and one fetch-log row) or in one commit. psql copies a binary COPY file of the same
/// rows, exported once with <c>\copy (SELECT …) TO</c> from a Gapless-filled table, with
/// <c>\copy bars (…) FROM 'file' WITH (FORMAT binary)</c>.
/// </para>
/// <para>
/// Read: Gapless <c>ReadAsync</c> of the series into a <see cref="BarFrame"/>, against psql's
/// <c>\copy (SELECT … the same query …) TO '/dev/null' WITH (FORMAT binary)</c>.
/// </para>
/// psql's figure is its own <c>\timing</c> of the <c>\copy</c> (file read or write, wire, server; not the start of the
/// psql process nor its connection); Gapless's is a stopwatch around the store call (pooled connection included).
/// </summary>
internal sealed partial class PostgresBenchmarks(string folder, int iterations)
{
    private const int Days = 60;
    private const int EngineChunk = 1000;
    private const string Columns = "open_time, open, high, low, close, volume, quote_volume, trades, vwap, cut_short_at";
    private static readonly DateTimeOffset Start = new(2023, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private int _seriesCount;

    public async Task<IReadOnlyList<Result>> RunAsync()
    {
        var bars = BenchData.Minutes(Start, Days * 1440).ToArray();
        var range = new TimeRange(bars[0].OpenTimeMs, bars[^1].OpenTimeMs + 60_000);
        var server = await TestPostgres.GetAsync();
        await using var database = await server.CreateDatabaseAsync();
        await using var admin = database.OpenDataSource();
        await using var store = await PostgresMarketStore.OpenAsync(database.ConnectionString);
        var psql = new Psql(database);

        // psql's file: the rows a Gapless commit wrote, as binary COPY.
        var file = Path.Combine(folder, "bars.copy");
        await TruncateAsync(admin);
        var fileSeries = await FillAsync(store, bars, bars.Length);
        var fileId = await SeriesIdAsync(admin, fileSeries);
        await psql.RunAsync($@"\copy (SELECT series_id, {Columns} FROM bars WHERE series_id = {fileId} ORDER BY open_time) TO '{file}' WITH (FORMAT binary)");
        var count = bars.Length.ToString("N0", CultureInfo.InvariantCulture);

        // Ingest: psql and both commit sizes take turns, round after round, so they share the machine's load.
        var ingestRounds = await RoundsAsync(
            () => TruncateAsync(admin),
            () => psql.RunAsync($@"\copy bars (series_id, {Columns}) FROM '{file}' WITH (FORMAT binary)"),
            () => TimeAsync(() => FillAsync(store, bars, EngineChunk)),
            () => TimeAsync(() => FillAsync(store, bars, bars.Length)));
        await ExpectRowsAsync(admin, bars.Length);

        // Read a freshly committed series (which contender ran last depends on the round count): Gapless into a
        // frame, psql the same query BarCopy.ReadAsync sends, to /dev/null.
        await TruncateAsync(admin);
        var readSeries = await FillAsync(store, bars, bars.Length);
        var readId = await SeriesIdAsync(admin, readSeries);
        var lastCount = 0;
        var readRounds = await RoundsAsync(
            () => Task.CompletedTask,
            () => psql.RunAsync($@"\copy (SELECT {Columns} FROM bars WHERE series_id = {readId} AND open_time >= {PgTime.Literal(range.FromMs)} AND open_time < {PgTime.Literal(range.ToMs)} ORDER BY open_time) TO '/dev/null' WITH (FORMAT binary)"),
            () => TimeAsync(async () => lastCount = (await store.ReadAsync(readSeries, range)).Count));
        if (lastCount != bars.Length)
        {
            throw new InvalidOperationException($"read {lastCount} bars, expected {bars.Length}");
        }

        var n = bars.Length;
        return
        [
            Result.Rate(new Measurement($@"psql \copy bars FROM a binary COPY file ({count} bars)", ingestRounds[0]), n, "bars/s", null, higherIsBetter: true),
            Result.Rate(new Measurement($"Gapless ingest, one commit per {EngineChunk}-bar chunk as the sync engine writes ({count} bars)", ingestRounds[1]), n, "bars/s", null, higherIsBetter: true),
            Ratio(@"ingest ratio: Gapless per-chunk commits / psql \copy", ingestRounds[1], ingestRounds[0], 0.8),
            Result.Rate(new Measurement($"Gapless ingest, one commit of all {count} bars", ingestRounds[2]), n, "bars/s", null, higherIsBetter: true),
            Ratio(@"ingest ratio: Gapless one commit / psql \copy", ingestRounds[2], ingestRounds[0], 0.8),
            Result.Rate(new Measurement($@"psql \copy (SELECT …) TO '/dev/null' binary ({count} bars)", readRounds[0]), n, "bars/s", null, higherIsBetter: true),
            Result.Rate(new Measurement($"Gapless ReadAsync into a BarFrame ({count} bars)", readRounds[1]), n, "bars/s", 2_000_000, higherIsBetter: true),
            Ratio(@"read ratio: Gapless ReadAsync / psql \copy to /dev/null", readRounds[1], readRounds[0], null),
        ];
    }

    /// <summary>Gapless's rate over psql's, round by round (both timed in the same round); the median of the rounds' ratios.</summary>
    private static Result Ratio(string name, List<TimeSpan> gapless, List<TimeSpan> psql, double? target)
    {
        var ratios = gapless.Select((g, i) => psql[i] / g).Order().ToList();
        return new Result(name, ratios[ratios.Count / 2], "×", target, HigherIsBetter: true)
        {
            Runs = string.Create(CultureInfo.InvariantCulture, $"median of {ratios.Count} rounds' ratios (min {ratios[0]:0.00}, max {ratios[^1]:0.00})"),
        };
    }

    /// <summary>
    /// A warm-up round, then twice the iterations of rounds; in each, every contender runs once after
    /// <paramref name="setup"/>, starting with a different one each round. Returns each contender's times.
    /// </summary>
    private async Task<List<TimeSpan>[]> RoundsAsync(Func<Task> setup, params Func<Task<TimeSpan>>[] contenders)
    {
        var times = contenders.Select(_ => new List<TimeSpan>()).ToArray();
        var rounds = iterations * 2;
        for (var round = -1; round < rounds; round++)
        {
            for (var k = 0; k < contenders.Length; k++)
            {
                var c = (Math.Max(round, 0) + k) % contenders.Length;
                await setup();
                var elapsed = await contenders[c]();
                if (round >= 0)
                {
                    times[c].Add(elapsed);
                }
            }
        }

        return times;
    }

    private static async Task<TimeSpan> TimeAsync(Func<Task> operation)
    {
        var watch = Stopwatch.StartNew();
        await operation();
        return watch.Elapsed;
    }

    private static Series SeriesNamed(int n) => new("binance", $"BTCUSDT{n}", Timeframe.M1);

    /// <summary>Commits <paramref name="all"/> into a new series, <paramref name="barsPerCommit"/> bars a commit, as the sync engine would.</summary>
    private async Task<Series> FillAsync(PostgresMarketStore store, Bar[] all, int barsPerCommit)
    {
        var series = SeriesNamed(++_seriesCount);
        for (var i = 0; i < all.Length; i += barsPerCommit)
        {
            var slice = new ArraySegment<Bar>(all, i, Math.Min(barsPerCommit, all.Length - i));
            var chunk = new TimeRange(slice[0].OpenTimeMs, slice[^1].OpenTimeMs + 60_000);
            var call = new VendorCall(Start, "/api/v3/klines?symbol=BTCUSDT&interval=1m", 200, slice.Count, 2, TimeSpan.FromMilliseconds(150));
            await store.CommitAsync(new ChunkCommit(series, chunk, chunk, slice, [], [call]));
        }

        return series;
    }

    private static async Task TruncateAsync(NpgsqlDataSource admin)
    {
        await using var command = admin.CreateCommand("TRUNCATE bars;");
        await command.ExecuteNonQueryAsync();
    }

    private static async Task ExpectRowsAsync(NpgsqlDataSource admin, long expected)
    {
        await using var command = admin.CreateCommand("SELECT count(*) FROM bars;");
        var rows = (long)(await command.ExecuteScalarAsync())!;
        if (rows != expected)
        {
            throw new InvalidOperationException($"bars holds {rows} rows, expected {expected}");
        }
    }

    private static async Task<long> SeriesIdAsync(NpgsqlDataSource admin, Series series)
    {
        await using var command = admin.CreateCommand("SELECT id FROM series WHERE provider = $1 AND symbol = $2 AND timeframe = $3;");
        command.Parameters.AddWithValue(series.Provider);
        command.Parameters.AddWithValue(series.Symbol);
        command.Parameters.AddWithValue(series.Timeframe.Code);
        return (long)(await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"no series row for {series}"));
    }

    /// <summary>
    /// Runs psql as a child process on the test database over TCP (127.0.0.1, the same user as the store), with
    /// <c>\timing on</c>; returns the time psql reports for the command.
    /// </summary>
    private sealed partial class Psql(TestDatabase database)
    {
        private readonly string? _password = new NpgsqlConnectionStringBuilder(database.ConnectionString).Password;

        public async Task<TimeSpan> RunAsync(string command)
        {
            var info = new ProcessStartInfo(
                "psql",
                ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", database.Host, "-p", database.Port.ToString(CultureInfo.InvariantCulture),
                 "-U", database.Username ?? "postgres", "-d", database.Name, "-c", @"\timing on", "-c", command])
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            if (!string.IsNullOrEmpty(_password))
            {
                info.Environment["PGPASSWORD"] = _password;
            }

            using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start psql");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"psql exited with code {process.ExitCode}: {await error}{await output}");
            }

            var match = TimingLine().Match(await output);
            return match.Success
                ? TimeSpan.FromMilliseconds(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture))
                : throw new InvalidOperationException($"psql printed no timing for {command}: {await output}{await error}");
        }

        [GeneratedRegex(@"^Time: ([0-9.]+) ms", RegexOptions.Multiline)]
        private static partial Regex TimingLine();
    }
}
