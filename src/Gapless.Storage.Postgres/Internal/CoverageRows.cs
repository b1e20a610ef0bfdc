using Gapless.Core.Model;
using Npgsql;

namespace Gapless.Storage.Postgres.Internal;

/// <summary>The SQL of the <c>coverage</c> table: per series, merged and disjoint ranges.</summary>
internal static class CoverageRows
{
    /// <summary>
    /// Unions a range into a series' coverage inside the caller's transaction, which must hold the series row lock
    /// (so concurrent writers of the series take turns and none loses another's coverage): the rows it overlaps or
    /// touches are deleted and replaced by one merged row, in one statement.
    /// </summary>
    /// <summary>Merges <paramref name="covered"/> into the series' coverage (rows it overlaps or touches become one); null when empty.</summary>
    public static NpgsqlBatchCommand? UnionCommand(long seriesId, TimeRange covered)
    {
        if (covered.IsEmpty)
        {
            return null;
        }

        var command = new NpgsqlBatchCommand(
            """
            WITH gone AS (
                DELETE FROM coverage WHERE series_id = $1 AND to_time >= $2 AND from_time <= $3
                RETURNING from_time, to_time)
            INSERT INTO coverage (series_id, from_time, to_time)
            SELECT $1, least($2, min(from_time)), greatest($3, max(to_time)) FROM gone;
            """);
        command.Parameters.AddWithValue(seriesId);
        command.Parameters.AddWithValue(PgTime.ToDateTime(covered.FromMs));
        command.Parameters.AddWithValue(PgTime.ToDateTime(covered.ToMs));
        return command;
    }

    public static async Task<RangeSet> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long seriesId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT from_time, to_time FROM coverage WHERE series_id = $1 ORDER BY from_time;", connection, transaction);
        command.Parameters.AddWithValue(seriesId);
        var ranges = new List<TimeRange>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ranges.Add(new TimeRange(PgTime.FromDateTime(reader.GetDateTime(0)), PgTime.FromDateTime(reader.GetDateTime(1))));
        }

        return RangeSet.Of(ranges);
    }
}
