using Gapless.Core.Model;
using Gapless.Core.Ports;

namespace Gapless.Core.Import;

/// <summary>
/// Imports bars from files into a series (the <c>csv</c> provider) with the guarantees of a fetch: every bar is
/// validated by <see cref="Validation.BarValidator"/> like vendor data (bad bars are quarantined with the rule they
/// broke, never served), and each batch of at most <see cref="ImportOptions.MaxBarsPerCommit"/> bars is committed in
/// one store transaction with the coverage it proves, so a killed import leaves the store consistent.
/// <para>
/// A file proves its <see cref="ImportSource.Span"/> (a Binance archive's day or month), else the span from its first
/// bar's open to its last bar's close. Batches split that span at bar boundaries: each commit covers from its first
/// bar's slot to the next batch's, and the last one to the end of the span.
/// </para>
/// <para>
/// Importing is idempotent. A bar already held with the same values is not stored again (counted as a duplicate); a
/// bar whose open time is held with different values is quarantined and the held bar stays (the store keeps the first
/// answer it got, as it does for vendors). A batch that would add nothing (its span already covered, every bar
/// already held, every rejection already quarantined) is not committed at all, so importing the same files again
/// writes nothing. Core does no I/O: the sources' owner reads the files.
/// </para>
/// Not thread-safe: one import at a time per instance.
/// </summary>
public sealed class BarImporter
{
    private readonly IMarketStore _store;
    private readonly TimeProvider _clock;
    private readonly ImportOptions _options;

    /// <param name="store">Where bars, coverage, quarantine and the fetch log are committed.</param>
    /// <param name="clock">Now, for the fetch log and elapsed times.</param>
    /// <param name="options">Batch size and report limits; defaults when null.</param>
    public BarImporter(IMarketStore store, TimeProvider clock, ImportOptions? options = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _options = options ?? new ImportOptions();
        Preconditions.CheckArgument(_options.MaxBarsPerCommit >= 1, nameof(options), $"MaxBarsPerCommit ({_options.MaxBarsPerCommit}) must be at least 1");
        Preconditions.CheckArgument(_options.MaxQuarantineSamples >= 0, nameof(options), $"MaxQuarantineSamples ({_options.MaxQuarantineSamples}) must not be negative");
    }

    /// <summary>Imports <paramref name="sources"/> into <paramref name="series"/>, in the order given, and reports per file.</summary>
    /// <exception cref="ImportDataException">A source cannot be read; what was committed before stays committed.</exception>
    /// <exception cref="Errors.StoreException">The store failed; batches committed before stay committed.</exception>
    public async Task<ImportReport> ImportAsync(
        Series series,
        IReadOnlyList<ImportSource> sources,
        IProgress<ImportProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(sources);
        var started = _clock.GetTimestamp();
        var before = await _store.GetCoverageAsync(series, cancellationToken).ConfigureAwait(false);
        var run = new ImportRun(_store, series, before, _clock, _options, sources.Count, progress);
        var files = new List<ImportFileReport>(sources.Count);
        for (var i = 0; i < sources.Count; i++)
        {
            var source = sources[i] ?? throw new ArgumentException($"sources[{i}] is null", nameof(sources));
            files.Add(await new FileImport(run, source).RunAsync(cancellationToken).ConfigureAwait(false));
            run.FileDone(source.Name);
        }

        var covered = RangeSet.Of(files.Where(f => f.Covered is not null).Select(f => f.Covered!.Value));
        return new ImportReport(series, files, before, covered.Subtract(before), _clock.GetElapsedTime(started));
    }
}
