using Gapless.Core.Ports;
using Gapless.Testing.Fakes;
using Gapless.Testing.Storage;

namespace Gapless.Storage.Sqlite.Tests;

/// <summary>
/// The shared run-store contract, on the in-memory fake engine tests use, so the fake cannot drift from the real
/// stores. It lives here, beside the SQLite run, because it needs no server; its natural home is Gapless.Core.Tests.
/// "Opening the same store" gives the same instance: the fake has no database to reopen.
/// </summary>
public sealed class InMemoryRunStoreContractTests : RunStoreContract
{
    private InMemoryRunStore? _last;

    protected override Task<IRunStore> CreateStoreCoreAsync() => Task.FromResult<IRunStore>(_last = new InMemoryRunStore());

    protected override Task<IRunStore> OpenSameStoreCoreAsync()
        => Task.FromResult<IRunStore>(_last ?? throw new InvalidOperationException("create a store first"));
}
