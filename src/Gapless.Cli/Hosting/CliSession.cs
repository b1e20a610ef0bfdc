using Gapless.Core;
using Gapless.Core.Ports;
using Gapless.Core.Sync;
using Gapless.Storage.Postgres;

namespace Gapless.Cli;

/// <summary>
/// The composition root of one command: the store, the providers and the <see cref="MarketData"/> over them.
/// </summary>
internal sealed class CliSession : IAsyncDisposable
{
    private readonly ProviderRegistry _providers;

    private CliSession(IMarketStore store, ProviderRegistry providers, MarketData data)
    {
        Store = store;
        _providers = providers;
        Data = data;
    }

    public IMarketStore Store { get; }

    public MarketData Data { get; }

    public static async Task<CliSession> OpenAsync(GlobalOptions.Settings settings, CancellationToken cancellationToken)
    {
        var store = await StoreFactory.OpenAsync(settings.DbPath, cancellationToken).ConfigureAwait(false);
        var clock = TimeProvider.System;
        // A shared store brings its own coordinator and rate budgets, so workers in other processes fetch each chunk
        // once and stay, together, inside each vendor's limit; whole last chunks make their chunks line up.
        var shared = store as PostgresMarketStore;
        var providers = ProviderCatalog.Create(settings, clock, shared?.SharedRateLimits);
        var coordinator = shared?.FetchCoordinator;
        var options = new SyncOptions { ExtendLastChunk = shared is not null };
        return new CliSession(store, providers, new MarketData(store, providers, clock, options, coordinator));
    }

    public async ValueTask DisposeAsync()
    {
        await _providers.DisposeAsync().ConfigureAwait(false);
        await Store.DisposeAsync().ConfigureAwait(false);
    }
}
