using Gapless.Core.Model;
using Gapless.Core.Ports;
using Npgsql;

namespace Gapless.Storage.Postgres.Internal;

/// <summary>
/// Writes one <see cref="ChunkCommit"/> in one transaction: partitions it needs, the series row (created if new,
/// then locked, so commits of one series from any process take turns while those of different series run side by
/// side), bars (<see cref="BarCopy"/>), the series counts, coverage, quarantine, fetch log. Locks are always taken
/// in that order (partition lock, series row, bar rows), so commits never deadlock. Round trips are what a small
/// commit costs, so statements travel in batches: the lock with the check for held bars, then the COPY, then counts,
/// coverage, quarantine and fetch log together, then COMMIT.
/// </summary>
internal sealed class CommitWriter(NpgsqlDataSource dataSource, SeriesIds seriesIds, Partitions partitions, PostgresStoreOptions options)
{
    /// <summary>
    /// Test hook, awaited at each stage of a commit inside its transaction ("copying" halfway through the COPY,
    /// "staged" when bars go through staging, "bars" after them, "recorded" after coverage, quarantine and fetch log,
    /// just before COMMIT) with the committing connection.
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
        var anyHeld = await LockSeriesAsync(connection, transaction, seriesId, bars, cancellationToken);
        var stored = 0;
        if (bars.Length > 0)
        {
            var midway = StageHook is null ? null : (Func<Task>)(() => HookAsync("copying", connection));
            if (anyHeld)
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

        await using (var record = new NpgsqlBatch(connection, transaction))
        {
            record.BatchCommands.Add(CountCommand(seriesId, stored, bars));
            AddIfAny(record, CoverageRows.UnionCommand(seriesId, commit.Covered));
            AddIfAny(record, QuarantineRows.InsertCommand(seriesId, commit.Quarantined));
            AddIfAny(record, FetchLogRows.InsertCommand(seriesId, commit.Chunk, commit.Calls));
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await HookAsync("recorded", connection);
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
        await using (var log = new NpgsqlBatch(connection, transaction))
        {
            AddIfAny(log, FetchLogRows.InsertCommand(seriesId, failure.Chunk, withError));
            await log.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        seriesIds.Remember(failure.Series, seriesId);
    }

    /// <summary>
    /// Locks the series row until commit: commits of one series, from any process, take turns from here on, so
    /// nobody adds bars to the series while this commit looks at what it holds, and coverage is read and merged
    /// by one commit at a time. FOR NO KEY UPDATE leaves readers and the foreign keys of other tables unblocked.
    /// In the same round trip, once the lock is held: whether the series already holds bars in the commit's span.
    /// </summary>
    private static async Task<bool> LockSeriesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long seriesId, Bar[] bars, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        var lockRow = new NpgsqlBatchCommand("SELECT 1 FROM series WHERE id = $1 FOR NO KEY UPDATE;");
        lockRow.Parameters.AddWithValue(seriesId);
        batch.BatchCommands.Add(lockRow);
        if (bars.Length == 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return false;
        }

        batch.BatchCommands.Add(BarCopy.AnyHeldCommand(seriesId, bars[0].OpenTimeMs, bars[^1].OpenTimeMs));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken); // past the lock's row
        await reader.ReadAsync(cancellationToken);
        return reader.GetBoolean(0);
    }

    /// <summary>
    /// Updates the series row's counts. Every bar of the commit is held afterwards, new or not, so the bounds widen
    /// to the commit's first and last bar.
    /// </summary>
    private static NpgsqlBatchCommand CountCommand(long seriesId, int stored, Bar[] bars)
    {
        var command = new NpgsqlBatchCommand(
            """
            UPDATE series SET bar_count = bar_count + $2,
                              first_open_time = least(first_open_time, $3),
                              last_open_time = greatest(last_open_time, $4)
            WHERE id = $1;
            """);
        command.Parameters.AddWithValue(seriesId);
        command.Parameters.AddWithValue((long)stored);
        command.Parameters.Add(new NpgsqlParameter { Value = bars.Length > 0 ? PgTime.ToDateTime(bars[0].OpenTimeMs) : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = bars.Length > 0 ? PgTime.ToDateTime(bars[^1].OpenTimeMs) : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        return command;
    }

    private static void AddIfAny(NpgsqlBatch batch, NpgsqlBatchCommand? command)
    {
        if (command is not null)
        {
            batch.BatchCommands.Add(command);
        }
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
