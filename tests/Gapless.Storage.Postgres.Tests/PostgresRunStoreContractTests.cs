using Gapless.Core.Ports;
using Gapless.Testing.Postgres;
using Gapless.Testing.Storage;

namespace Gapless.Storage.Postgres.Tests;

/// <summary>The shared run-store contract, unchanged, on a real PostgreSQL: a fresh database for every store created.</summary>
public sealed class PostgresRunStoreContractTests : RunStoreContract
{
    private readonly List<TestDatabase> _databases = [];
    private TestDatabase? _last;

    protected override async Task<IRunStore> CreateStoreCoreAsync()
    {
        var server = await TestPostgres.GetAsync();
        _last = await server.CreateDatabaseAsync();
        _databases.Add(_last);
        return await PostgresMarketStore.OpenAsync(_last.ConnectionString);
    }

    protected override async Task<IRunStore> OpenSameStoreCoreAsync()
        => await PostgresMarketStore.OpenAsync((_last ?? throw new InvalidOperationException("create a store first")).ConnectionString);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }
    }
}
