using Gapless.Storage.Postgres.Internal;
using Npgsql;

namespace Gapless.Testing.Postgres;

/// <summary>
/// The PostgreSQL server of this test run, shared by every test class of the process (any test project: the store's
/// tests, the CLI's); each test gets fresh databases on it.
/// <para>
/// By default a throwaway cluster is started from the machine's binaries (<see cref="PostgresCluster"/>) on first
/// use and removed when the run ends. To use an existing server instead, set <c>GAPLESS_TEST_POSTGRES</c> to a
/// connection string (URL, key=value or Npgsql form) whose user may <c>CREATE DATABASE</c>, e.g.
/// <c>GAPLESS_TEST_POSTGRES=postgres://postgres:secret@127.0.0.1:5432/postgres dotnet test tests/Gapless.Storage.Postgres.Tests</c>;
/// the tests then create databases named <c>gapless_test_*</c> there and drop them when done.
/// </para>
/// If the server cannot be started or reached, every test that needs it fails with the reason; none is skipped.
/// </summary>
public sealed class TestPostgres
{
    public const string EnvironmentVariable = "GAPLESS_TEST_POSTGRES";

    private static readonly Lazy<Task<TestPostgres>> Shared = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly NpgsqlConnectionStringBuilder _admin;

    private TestPostgres(NpgsqlConnectionStringBuilder admin, bool external)
    {
        _admin = admin;
        IsExternal = external;
        Admin = NpgsqlDataSource.Create(admin);
    }

    /// <summary>True when the tests run on a server named by <c>GAPLESS_TEST_POSTGRES</c>.</summary>
    public bool IsExternal { get; }

    /// <summary>A superuser (or CREATEDB) connection to the server's maintenance database.</summary>
    public NpgsqlDataSource Admin { get; }

    /// <summary>The shared server, started on first use.</summary>
    /// <exception cref="InvalidOperationException">The server could not be started or reached; the message says why.</exception>
    public static Task<TestPostgres> GetAsync() => Shared.Value;

    /// <summary>A new, empty database on the shared server (started on first use).</summary>
    public static async Task<TestDatabase> NewDatabaseAsync() => await (await GetAsync()).CreateDatabaseAsync();

    /// <summary>A new, empty database; its Npgsql connection string (with the password, if any).</summary>
    public async Task<TestDatabase> CreateDatabaseAsync()
    {
        var name = $"gapless_test_{Guid.NewGuid():N}";
        await using (var command = Admin.CreateCommand($"CREATE DATABASE {name};"))
        {
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(_admin.ConnectionString) { Database = name };
        return new TestDatabase(this, name, builder);
    }

    public async Task DropDatabaseAsync(string name)
    {
        await using var command = Admin.CreateCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE);");
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<TestPostgres> StartAsync()
    {
        var external = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            var builder = ConnectionStrings.Parse(external);
            var server = new TestPostgres(builder, external: true);
            try
            {
                await using var probe = await server.Admin.OpenConnectionAsync();
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                throw new InvalidOperationException(
                    $"{EnvironmentVariable} names {ConnectionStrings.Describe(builder)}, which cannot be reached: {e.Message}. Unset it to start a throwaway server.", e);
            }

            return server;
        }

        var cluster = await PostgresCluster.StartAsync();
        var admin = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = cluster.Port,
            Username = "postgres",
            Database = "postgres",
            Pooling = true,
        };
        return new TestPostgres(admin, external: false);
    }
}
