using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Core.Sync;

namespace Gapless.Core;

/// <summary>
/// The front door: ask for a range of a series and get it complete. Reads the store's coverage, fetches only what
/// is missing (through the <see cref="SyncEngine"/>), then reads the range back. Thread-safe.
/// </summary>
public sealed class MarketData
{
    private readonly IMarketStore _store;
    private readonly ProviderRegistry _providers;
    private readonly SyncEngine _engine;

    /// <param name="store">Where bars and coverage live.</param>
    /// <param name="providers">The vendors by name.</param>
    /// <param name="clock">Now.</param>
    /// <param name="options">Sync options; defaults when null.</param>
    /// <param name="coordinator">Who fetches what when several callers overlap: the shared store's own for a store
    /// shared by many workers, in-process single-flight when null.</param>
    public MarketData(IMarketStore store, ProviderRegistry providers, TimeProvider clock, SyncOptions? options = null, IFetchCoordinator? coordinator = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _providers = providers ?? throw new ArgumentNullException(nameof(providers));
        _engine = new SyncEngine(store, clock ?? throw new ArgumentNullException(nameof(clock)), options, coordinator);
    }

    /// <summary>The read side, for consumers that must not fetch.</summary>
    public IBarReader Reader => _store;

    public ProviderRegistry Providers => _providers;

    public Task<SyncPlan> PlanAsync(Series series, TimeRange range, CancellationToken cancellationToken = default)
        => _engine.PlanAsync(ProviderOf(series), series, range, cancellationToken);

    /// <summary>Makes <paramref name="range"/> complete as far as the vendor allows; failures are in the report.</summary>
    /// <summary>
    /// Syncs several series of one provider over one range; when the vendor answers many symbols a request
    /// (<see cref="IMultiSymbolBarProvider"/>) series missing the same ranges share requests, otherwise one by one.
    /// </summary>
    public async Task<IReadOnlyList<SyncReport>> SyncManyAsync(
        IReadOnlyList<Series> series, TimeRange range, IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.Count > 0 && ProviderOf(series[0]) is IMultiSymbolBarProvider multi && series.All(s => s.Provider == series[0].Provider))
        {
            return await _engine.SyncManyAsync(multi, series, range, progress, cancellationToken).ConfigureAwait(false);
        }

        var reports = new List<SyncReport>(series.Count);
        foreach (var s in series)
        {
            reports.Add(await SyncAsync(s, range, progress, cancellationToken).ConfigureAwait(false));
        }

        return reports;
    }

    public Task<SyncReport> SyncAsync(Series series, TimeRange range, IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default)
        => _engine.SyncAsync(ProviderOf(series), series, range, progress, cancellationToken);

    /// <summary>
    /// The bars of <paramref name="range"/> after fetching what is missing. Bars not yet final (past the
    /// finalization horizon) are not fetched, so the last ones may be absent.
    /// </summary>
    /// <exception cref="IncompleteDataException">Some chunks could not be fetched; nothing is returned.</exception>
    public async Task<BarFrame> GetBarsAsync(Series series, TimeRange range, IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var report = await SyncAsync(series, range, progress, cancellationToken).ConfigureAwait(false);
        if (!report.IsComplete)
        {
            throw new IncompleteDataException(report);
        }

        return await _store.ReadAsync(series, range, cancellationToken).ConfigureAwait(false);
    }

    private IBarProvider ProviderOf(Series series)
    {
        ArgumentNullException.ThrowIfNull(series);
        return _providers.Get(series.Provider);
    }
}
