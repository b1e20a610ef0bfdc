using Npgsql;

namespace Gapless.Testing.Postgres;

/// <summary>One fresh database of the test server. Dropped on dispose when the server is an existing one.</summary>
public sealed class TestDatabase(TestPostgres server, string name, NpgsqlConnectionStringBuilder connection) : IAsyncDisposable
{
    public string Name { get; } = name;

    /// <summary>An Npgsql connection string for the database.</summary>
    public string ConnectionString { get; } = connection.ConnectionString;

    public string Host { get; } = connection.Host!;

    public int Port { get; } = connection.Port;

    public string? Username { get; } = connection.Username;

    public TestPostgres Server { get; } = server;

    public NpgsqlDataSource OpenDataSource() => NpgsqlDataSource.Create(ConnectionString);

    /// <summary>Runs one SQL statement as the database's owner and returns the first column of the first row.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var source = OpenDataSource();
        await using var command = source.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Server.IsExternal)
        {
            await Server.DropDatabaseAsync(Name);
        }
    }
}
