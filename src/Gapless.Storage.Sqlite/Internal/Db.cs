using Microsoft.Data.Sqlite;

namespace Gapless.Storage.Sqlite.Internal;

/// <summary>Small command helpers: every value goes through a parameter, never into the SQL text.</summary>
internal static class Db
{
    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>Adds a parameter of the given SQLite type and returns it, so a prepared command can be re-run with new values.</summary>
    public static SqliteParameter Parameter(SqliteCommand command, string name, SqliteType type)
    {
        var parameter = command.Parameters.Add(name, type);
        return parameter;
    }

    public static object Nullable<T>(T? value)
        where T : struct
        => value is { } v ? v : DBNull.Value;

    public static object Nullable(string? value) => value is null ? DBNull.Value : value;
}
