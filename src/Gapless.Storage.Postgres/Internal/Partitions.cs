using System.Collections.Concurrent;
using System.Globalization;
using Gapless.Core.Model;
using Npgsql;

namespace Gapless.Storage.Postgres.Internal;

/// <summary>
/// The monthly partitions of <c>bars</c> (<c>bars_YYYY_MM</c>, <c>[1st of month, 1st of next month)</c> UTC), one rule
/// for every timeframe. A commit creates the ones its bars need, inside its own transaction (so a commit that rolls
/// back leaves none behind), under <see cref="AdvisoryLocks.Partitions"/> with a re-check, so two commits never race
/// to create the same one. A partition is made with <c>CREATE TABLE … (LIKE bars)</c> then <c>ATTACH PARTITION</c>:
/// attaching takes only a SHARE UPDATE EXCLUSIVE lock on <c>bars</c>, so readers and other writers carry on, where
/// <c>CREATE TABLE … PARTITION OF</c> would lock every reader out until the commit ends. Partitions known to exist
/// are remembered (Gapless never drops one).
/// </summary>
internal sealed class Partitions
{
    private readonly ConcurrentDictionary<long, bool> _known = new();

    /// <summary>The first instant of each month holding one of <paramref name="bars"/> (ascending by open time), distinct.</summary>
    public static List<long> MonthsOf(IReadOnlyList<Bar> bars)
    {
        var months = new List<long>();
        var nextMonth = long.MinValue;
        foreach (var bar in bars)
        {
            if (months.Count > 0 && bar.OpenTimeMs < nextMonth)
            {
                continue;
            }

            var start = Timeframe.Month1.Floor(bar.OpenTimeMs);
            months.Add(start);
            nextMonth = Timeframe.Month1.Add(start, 1);
        }

        return months;
    }

    public static string NameOf(long monthStartMs)
    {
        var t = UtcTime.ToDateTimeOffset(monthStartMs);
        return string.Create(CultureInfo.InvariantCulture, $"bars_{t.Year:D4}_{t.Month:D2}");
    }

    /// <summary>The month a Gapless partition name stands for, or null for another name.</summary>
    public static TimeRange? RangeOf(string name)
    {
        if (name.Length == 12 && name.StartsWith("bars_", StringComparison.Ordinal) && name[9] == '_'
            && int.TryParse(name.AsSpan(5, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            && int.TryParse(name.AsSpan(10, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            && year >= 1 && month is >= 1 and <= 12)
        {
            var from = UtcTime.ToEpochMs(new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero));
            return new TimeRange(from, Timeframe.Month1.Add(from, 1));
        }

        return null;
    }

    /// <summary>Forgets what exists (a partition was dropped by hand and an insert found no partition).</summary>
    public void Forget() => _known.Clear();

    /// <summary>Makes sure a partition exists for each month, inside <paramref name="transaction"/>. Call before anything else in it.</summary>
    public async Task EnsureAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<long> months, CancellationToken cancellationToken)
    {
        var unknown = months.FindAll(m => !_known.ContainsKey(m));
        if (unknown.Count == 0)
        {
            return;
        }

        var missing = await MissingAsync(connection, transaction, unknown, cancellationToken);
        if (missing.Count > 0)
        {
            await using (var take = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({AdvisoryLocks.Partitions});", connection, transaction))
            {
                await take.ExecuteNonQueryAsync(cancellationToken);
            }

            // Another commit may have created some while this one waited for the lock.
            missing = await MissingAsync(connection, transaction, missing, cancellationToken);
            foreach (var month in missing)
            {
                // Names and bounds come from our own month arithmetic, never from input text.
                var name = NameOf(month);
                await using var create = new NpgsqlCommand(
                    $"""
                    CREATE TABLE {name} (LIKE bars INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
                    ALTER TABLE bars ATTACH PARTITION {name} FOR VALUES FROM ({PgTime.Literal(month)}) TO ({PgTime.Literal(Timeframe.Month1.Add(month, 1))});
                    """,
                    connection,
                    transaction);
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
        }

    }

    /// <summary>Remembers partitions <see cref="EnsureAsync"/> made sure of, once its transaction committed.</summary>
    public void Remember(List<long> months)
    {
        foreach (var m in months)
        {
            _known.TryAdd(m, true);
        }
    }

    private static async Task<List<long>> MissingAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<long> months, CancellationToken cancellationToken)
    {
        // pg_class through the statement's snapshot, not to_regclass: the latter answers from a per-session cache
        // that, inside one transaction, may not yet know of a partition another commit created meanwhile.
        await using var command = new NpgsqlCommand(
            """
            SELECT n.i FROM unnest($1::text[]) WITH ORDINALITY AS n(name, i)
            WHERE NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.relname = n.name AND c.relnamespace = current_schema()::regnamespace);
            """,
            connection,
            transaction);
        command.Parameters.AddWithValue(months.Select(NameOf).ToArray());
        var missing = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            missing.Add(months[(int)reader.GetInt64(0) - 1]);
        }

        return missing;
    }
}
