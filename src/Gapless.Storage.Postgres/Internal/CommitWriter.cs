using Gapless.Core.Model;
using Gapless.Core.Ports;
using Npgsql;

namespace Gapless.Storage.Postgres.Internal;

/// <summary>
/// Writes one <see cref="ChunkCommit"/> in one transaction: partitions it needs, the series row (created if new,
/// then locked, so commits of one series from any process take turns while those of different series run side by
/// side), bars (<see cref="BarCopy"/>), the series counts, coverage, quarantine, fetch log. Locks are always taken
/// in that order (partition lock, series row, bar rows), so commits never deadlock.
/// </summary>
internal sealed class CommitWriter(NpgsqlDataSource dataSource, SeriesIds seriesIds, Partitions partitions, PostgresStoreOptions options)
{
    /// <summary>
    /// Test hook, awaited at each stage of a commit inside its transaction ("copying" halfway through the COPY, "staged" when bars go through staging, "bars", "coverage", "logs")
    /// with the committing connection.
    /// </summary>
    public Func<string, NpgsqlConnection, Task>? StageHook { get; set; }

    public async Task<CommitResult> CommitAsync(ChunkCommit commit, CancellationToken cancellationToken)
    {
        var bars = SortedDistinct(commit.Bars);
        var months = Partitions.MonthsOf(bars);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Partitions first: their lock is the only one a commit takes before the series', so the order is fixed.
        await partitions.EnsureAsync(connection, transaction, months, cancellationToken);
        var seriesId = await seriesIds.FindOrCreateAsync(connection, transaction, commit.Series, cancellationToken);
        await LockSeriesAsync(connection, transaction, seriesId, cancellationToken);
        var stored = 0;
        if (bars.Length > 0)
        {
            var midway = StageHook is null ? null : (Func<Task>)(() => HookAsync("copying", connection));
            if (await BarCopy.AnyHeldAsync(connection, transaction, seriesId, bars[0].OpenTimeMs, bars[^1].OpenTimeMs, cancellationToken))
            {
                await BarCopy.StageAsync(connection, transaction, bars, midway, cancellationToken);
                await HookAsync("staged", connection);
                stored = await BarCopy.InsertStagedAsync(connection, transaction, seriesId, cancellationToken);
            }
            else
            {
                await BarCopy.CopyIntoBarsAsync(connection, seriesId, bars, midway, cancellationToken);
                stored = bars.Length;
            }

            await HookAsync("bars", connection);
        }

        await CountAsync(connection, transaction, seriesId, stored, bars, cancellationToken);
        await CoverageRows.UnionAsync(connection, transaction, seriesId, commit.Covered, cancellationToken);
        await HookAsync("coverage", connection);
        await QuarantineRows.InsertAsync(connection, transaction, seriesId, commit.Quarantined, cancellationToken);
        await FetchLogRows.InsertAsync(connection, transaction, seriesId, commit.Chunk, commit.Calls, cancellationToken);
        await HookAsync("logs", connection);
        await transaction.CommitAsync(cancellationToken);
        seriesIds.Remember(commit.Series, seriesId);
        partitions.Remember(months);
        return new CommitResult(stored);
    }

    public async Task RecordFailureAsync(ChunkFailure failure, CancellationToken cancellationToken)
    {
        var calls = failure.Calls.Count > 0
            ? failure.Calls
            : [new VendorCall(options.TimeProvider.GetUtcNow(), string.Empty, null, 0, 0, TimeSpan.Zero)];

        // Every call carries the chunk's error unless it has its own.
        var withError = calls.Select(c => c.Error is null ? c with { Error = failure.Error } : c).ToList();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var seriesId = await seriesIds.FindOrCreateAsync(connection, transaction, failure.Series, cancellationToken);
        await FetchLogRows.InsertAsync(connection, transaction, seriesId, failure.Chunk, withError, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        seriesIds.Remember(failure.Series, seriesId);
    }

    /// <summary>
    /// Locks the series row until commit: commits of one series, from any process, take turns from here on, so
    /// nobody adds bars to the series while this commit looks at what it holds, and coverage is read and merged
    /// by one commit at a time. FOR NO KEY UPDATE leaves readers and the foreign keys of other tables unblocked.
    /// </summary>
    private static async Task LockSeriesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long seriesId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT 1 FROM series WHERE id = $1 FOR NO KEY UPDATE;", connection, transaction);
        command.Parameters.AddWithValue(seriesId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Updates the series row's counts. Every bar of the commit is held afterwards, new or not, so the bounds widen
    /// to the commit's first and last bar.
    /// </summary>
    private static async Task CountAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long seriesId, int stored, Bar[] bars, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            UPDATE series SET bar_count = bar_count + $2,
                              first_open_time = least(first_open_time, $3),
                              last_open_time = greatest(last_open_time, $4)
            WHERE id = $1;
            """,
            connection,
            transaction);
        command.Parameters.AddWithValue(seriesId);
        command.Parameters.AddWithValue((long)stored);
        command.Parameters.Add(new NpgsqlParameter { Value = bars.Length > 0 ? PgTime.ToDateTime(bars[0].OpenTimeMs) : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = bars.Length > 0 ? PgTime.ToDateTime(bars[^1].OpenTimeMs) : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task HookAsync(string stage, NpgsqlConnection connection)
    {
        if (StageHook is { } hook)
        {
            await hook(stage, connection);
        }
    }

    /// <summary>The bars ascending by open time, one per open time (the first given wins).</summary>
    private static Bar[] SortedDistinct(IReadOnlyList<Bar> input)
    {
        var bars = new Bar[input.Count];
        var sorted = true;
        for (var i = 0; i < bars.Length; i++)
        {
            bars[i] = input[i];
            sorted &= i == 0 || bars[i].OpenTimeMs > bars[i - 1].OpenTimeMs;
        }

        if (sorted)
        {
            return bars;
        }

        // Rare: the validator hands bars ascending. A stable sort keeps "first given wins" for duplicates.
        var distinct = new List<Bar>(bars.Length);
        foreach (var bar in bars.OrderBy(b => b.OpenTimeMs))
        {
            if (distinct.Count == 0 || distinct[^1].OpenTimeMs != bar.OpenTimeMs)
            {
                distinct.Add(bar);
            }
        }

        return [.. distinct];
    }
}
