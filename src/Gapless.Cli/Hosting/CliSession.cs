using Gapless.Core;
using Gapless.Core.Ports;
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
        // once and stay, together, inside each vendor's limit.
        var shared = store as PostgresMarketStore;
        var providers = ProviderCatalog.Create(settings, clock, shared?.SharedRateLimits);
        var coordinator = shared?.FetchCoordinator;
        return new CliSession(store, providers, new MarketData(store, providers, clock, coordinator: coordinator));
    }

    public async ValueTask DisposeAsync()
    {
        await _providers.DisposeAsync().ConfigureAwait(false);
        await Store.DisposeAsync().ConfigureAwait(false);
    }
}
