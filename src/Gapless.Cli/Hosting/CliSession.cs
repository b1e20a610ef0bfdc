using Gapless.Core;
using Gapless.Core.Ports;
using Gapless.Providers.Sim;
using Gapless.Storage.Sqlite;

namespace Gapless.Cli;

/// <summary>
/// The composition root of one command: the store, the providers and the <see cref="MarketData"/> over them.
/// </summary>
internal sealed class CliSession : IAsyncDisposable
{
    private CliSession(IMarketStore store, MarketData data)
    {
        Store = store;
        Data = data;
    }

    public IMarketStore Store { get; }

    public MarketData Data { get; }

    public static async Task<CliSession> OpenAsync(GlobalOptions.Settings settings, CancellationToken cancellationToken)
    {
        var store = await SqliteMarketStore.OpenAsync(settings.DbPath, cancellationToken: cancellationToken).ConfigureAwait(false);
        var clock = TimeProvider.System;
        var providers = ProviderCatalog.Create(settings, clock);
        return new CliSession(store, new MarketData(store, providers, clock));
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
