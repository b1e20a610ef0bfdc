using Gapless.Core.Ports;
using Gapless.Testing;
using Gapless.Testing.Storage;

namespace Gapless.Storage.Sqlite.Tests;

/// <summary>The shared run-store contract, on real SQLite files in a temp folder.</summary>
public sealed class SqliteRunStoreContractTests : RunStoreContract, IDisposable
{
    private readonly TempFolder _folder = new();
    private string? _lastPath;

    protected override async Task<IRunStore> CreateStoreCoreAsync()
    {
        _lastPath = _folder.File($"{Guid.NewGuid():N}/gapless.db");
        return await SqliteMarketStore.OpenAsync(_lastPath);
    }

    protected override async Task<IRunStore> OpenSameStoreCoreAsync()
        => await SqliteMarketStore.OpenAsync(_lastPath ?? throw new InvalidOperationException("create a store first"));

    public void Dispose() => _folder.Dispose();
}
