using System.Collections.Concurrent;
using Gapless.Core.Model;
using Npgsql;

namespace Gapless.Storage.Postgres.Internal;

/// <summary>
/// Maps a <see cref="Series"/> to its row id. Ids never change once committed (series rows are never deleted), so
/// they are cached; an id created inside a transaction is cached only after that transaction commits.
/// </summary>
internal sealed class SeriesIds
{
    private readonly ConcurrentDictionary<Series, long> _known = new();

    /// <summary>The id of an existing series, or null.</summary>
    public async Task<long?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Series series, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(series, out var id))
        {
            return id;
        }

        await using var command = new NpgsqlCommand("SELECT id FROM series WHERE provider = $1 AND symbol = $2 AND timeframe = $3;", connection, transaction);
        AddKey(command, series);
        if (await command.ExecuteScalarAsync(cancellationToken) is long found)
        {
            _known.TryAdd(series, found);
            return found;
        }

        return null;
    }

    /// <summary>
    /// The id of the series, inserting it inside <paramref name="transaction"/> when new. Call <see cref="Remember"/>
    /// after commit. A concurrent creator makes the insert wait for its commit, then the second statement (a new
    /// snapshot under READ COMMITTED) sees its row.
    /// </summary>
    public async Task<long> FindOrCreateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Series series, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(series, out var id))
        {
            return id;
        }

        await using (var insert = new NpgsqlCommand(
            "INSERT INTO series (provider, symbol, timeframe) VALUES ($1, $2, $3) ON CONFLICT (provider, symbol, timeframe) DO NOTHING RETURNING id;",
            connection,
            transaction))
        {
            AddKey(insert, series);
            if (await insert.ExecuteScalarAsync(cancellationToken) is long created)
            {
                return created;
            }
        }

        return await FindAsync(connection, transaction, series, cancellationToken)
            ?? throw new InvalidOperationException($"series {series} vanished while being created");
    }

    public void Remember(Series series, long id) => _known.TryAdd(series, id);

    private static void AddKey(NpgsqlCommand command, Series series)
    {
        command.Parameters.AddWithValue(series.Provider);
        command.Parameters.AddWithValue(series.Symbol);
        command.Parameters.AddWithValue(series.Timeframe.Code);
    }
}
