using System.Collections.Concurrent;
using Gapless.Core.Model;
using Microsoft.Data.Sqlite;

namespace Gapless.Storage.Sqlite.Internal;

/// <summary>
/// Maps a <see cref="Series"/> to its row id. Ids never change once committed (series rows are never deleted),
/// so they are cached; an id created inside a transaction is cached only after that transaction commits.
/// </summary>
internal sealed class SeriesIds
{
    private readonly ConcurrentDictionary<Series, long> _known = new();

    /// <summary>The id of an existing series, or null.</summary>
    public async Task<long?> FindAsync(SqliteConnection connection, SqliteTransaction? transaction, Series series, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(series, out var id))
        {
            return id;
        }

        using var command = Db.Command(connection, transaction, "SELECT id FROM series WHERE provider = $p AND symbol = $s AND timeframe = $t;");
        AddKey(command, series);
        var result = await command.ExecuteScalarAsync(cancellationToken);
        if (result is long found)
        {
            _known.TryAdd(series, found);
            return found;
        }

        return null;
    }

    /// <summary>The id of the series, inserting it inside <paramref name="transaction"/> when new. Call <see cref="Remember"/> after commit.</summary>
    public async Task<long> FindOrCreateAsync(SqliteConnection connection, SqliteTransaction? transaction, Series series, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(series, out var id))
        {
            return id;
        }

        using var command = Db.Command(
            connection,
            transaction,
            """
            INSERT INTO series (provider, symbol, timeframe) VALUES ($p, $s, $t) ON CONFLICT DO NOTHING;
            SELECT id FROM series WHERE provider = $p AND symbol = $s AND timeframe = $t;
            """);
        AddKey(command, series);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public void Remember(Series series, long id) => _known.TryAdd(series, id);

    private static void AddKey(SqliteCommand command, Series series)
    {
        command.Parameters.AddWithValue("$p", series.Provider);
        command.Parameters.AddWithValue("$s", series.Symbol);
        command.Parameters.AddWithValue("$t", series.Timeframe.Code);
    }
}
