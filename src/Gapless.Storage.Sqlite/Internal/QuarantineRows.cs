using System.Globalization;
using Gapless.Core.Model;
using Microsoft.Data.Sqlite;

namespace Gapless.Storage.Sqlite.Internal;

/// <summary>The SQL of the <c>quarantine</c> table. Values are stored as exact decimal text.</summary>
internal static class QuarantineRows
{
    private static readonly string[] Names = ["$t", "$o", "$h", "$l", "$c", "$v", "$q", "$n", "$w", "$cut", "$reason"];

    public static async Task InsertAsync(SqliteConnection connection, SqliteTransaction? transaction, long seriesId, IReadOnlyList<QuarantinedBar> bars, CancellationToken cancellationToken)
    {
        if (bars.Count == 0)
        {
            return;
        }

        // A re-committed chunk brings the same rejects again: the unique key keeps one row each.
        using var command = Db.Command(
            connection,
            transaction,
            """
            INSERT OR IGNORE INTO quarantine (series_id, open_time_ms, open, high, low, close, volume, quote_volume, trades, vwap, cut_short_at_ms, reason)
            VALUES ($id, $t, $o, $h, $l, $c, $v, $q, $n, $w, $cut, $reason);
            """);
        command.Parameters.AddWithValue("$id", seriesId);
        var p = Names
            .Select(name => command.Parameters.Add(name, name is "$t" or "$n" or "$cut" ? SqliteType.Integer : SqliteType.Text))
            .ToArray();
        foreach (var (bar, reason) in bars)
        {
            p[0].Value = bar.OpenTimeMs;
            p[1].Value = Text(bar.Open);
            p[2].Value = Text(bar.High);
            p[3].Value = Text(bar.Low);
            p[4].Value = Text(bar.Close);
            p[5].Value = Text(bar.Volume);
            p[6].Value = bar.QuoteVolume is { } q ? Text(q) : DBNull.Value;
            p[7].Value = Db.Nullable(bar.Trades);
            p[8].Value = bar.Vwap is { } w ? Text(w) : DBNull.Value;
            p[9].Value = Db.Nullable(bar.CutShortAtMs);
            p[10].Value = reason;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public static async Task<IReadOnlyList<QuarantinedBar>> ReadAsync(SqliteConnection connection, long seriesId, CancellationToken cancellationToken)
    {
        using var command = Db.Command(
            connection,
            null,
            """
            SELECT open_time_ms, open, high, low, close, volume, quote_volume, trades, vwap, cut_short_at_ms, reason
            FROM quarantine WHERE series_id = $id ORDER BY open_time_ms, id;
            """);
        command.Parameters.AddWithValue("$id", seriesId);
        var result = new List<QuarantinedBar>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var bar = new Bar(
                reader.GetInt64(0),
                Parse(reader.GetString(1)),
                Parse(reader.GetString(2)),
                Parse(reader.GetString(3)),
                Parse(reader.GetString(4)),
                Parse(reader.GetString(5)),
                reader.IsDBNull(6) ? null : Parse(reader.GetString(6)),
                reader.IsDBNull(7) ? null : reader.GetInt64(7),
                reader.IsDBNull(8) ? null : Parse(reader.GetString(8)),
                reader.IsDBNull(9) ? null : reader.GetInt64(9));
            result.Add(new QuarantinedBar(bar, reader.GetString(10)));
        }

        return result;
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static decimal Parse(string text) => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
