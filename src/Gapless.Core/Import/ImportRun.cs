using Gapless.Core.Model;
using Gapless.Core.Ports;

namespace Gapless.Core.Import;

/// <summary>
/// What one import knows across its files: the coverage held (the store's at the start, plus every batch committed
/// since), the quarantine held (read once, when first needed), totals for progress. Lets a batch compare itself with
/// what is held, so duplicates across files and re-imports add nothing.
/// </summary>
internal sealed class ImportRun(
    IMarketStore store,
    Series series,
    RangeSet coverage,
    TimeProvider clock,
    ImportOptions options,
    int filesTotal,
    IProgress<ImportProgress>? progress)
{
    private HashSet<QuarantinedBar>? _quarantineHeld;
    private int _filesDone;

    public IMarketStore Store => store;

    public Series Series => series;

    public TimeProvider Clock => clock;

    public ImportOptions Options => options;

    public RangeSet Coverage { get; private set; } = coverage;

    public long BarsRead { get; set; }

    public long BarsStored { get; set; }

    /// <summary>
    /// Splits a batch's validated bars into those to store and those to quarantine: a bar already held with equal
    /// values is dropped (a duplicate), one held with different values is quarantined (the held bar stays).
    /// Only ranges already covered can hold bars, so a batch outside coverage costs no read.
    /// </summary>
    public async Task<List<Bar>> DropHeldAsync(TimeRange range, IReadOnlyList<Bar> good, List<QuarantinedBar> quarantined, CancellationToken cancellationToken)
    {
        if (good.Count == 0 || Coverage.Intersect(range).IsEmpty)
        {
            return good as List<Bar> ?? [.. good];
        }

        var held = await store.ReadAsync(series, range, cancellationToken).ConfigureAwait(false);
        var times = held.OpenTimes.ToArray();
        var fresh = new List<Bar>(good.Count);
        var j = 0;
        foreach (var bar in good)
        {
            // Both are ascending by open time.
            while (j < times.Length && times[j] < bar.OpenTimeMs)
            {
                j++;
            }

            if (j < times.Length && times[j] == bar.OpenTimeMs)
            {
                if (held[j] != bar)
                {
                    quarantined.Add(new QuarantinedBar(bar, $"duplicate open time {UtcTime.ToIso(bar.OpenTimeMs)} with different values than the bar already stored"));
                }
            }
            else
            {
                fresh.Add(bar);
            }
        }

        return fresh;
    }

    /// <summary>
    /// The rejections not quarantined yet: re-importing a file must not quarantine its bad bars twice (a store need not
    /// deduplicate quarantine rows). Only ranges already covered can have them, so a batch outside coverage costs no read.
    /// </summary>
    public async Task<List<QuarantinedBar>> NotYetQuarantinedAsync(TimeRange range, List<QuarantinedBar> quarantined, CancellationToken cancellationToken)
    {
        if (quarantined.Count == 0 || Coverage.Intersect(range).IsEmpty)
        {
            return quarantined;
        }

        _quarantineHeld ??= [.. await store.ReadQuarantineAsync(series, cancellationToken).ConfigureAwait(false)];
        return [.. quarantined.Where(q => !_quarantineHeld.Contains(q))];
    }

    /// <summary>True when committing would change nothing: the range is covered, no bar is new, nothing new to quarantine.</summary>
    public bool AddsNothing(TimeRange range, IReadOnlyList<Bar> fresh, IReadOnlyList<QuarantinedBar> toQuarantine)
        => fresh.Count == 0 && toQuarantine.Count == 0 && Coverage.Contains(range);

    public void Committed(TimeRange range, IReadOnlyList<QuarantinedBar> quarantined)
    {
        Coverage = Coverage.Union(range);
        _quarantineHeld?.UnionWith(quarantined);
    }

    public void Report(string file) => progress?.Report(new ImportProgress(series, file, _filesDone, filesTotal, BarsRead, BarsStored));

    public void FileDone(string file)
    {
        _filesDone++;
        Report(file);
    }
}
