using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Core.Validation;

namespace Gapless.Core.Import;

/// <summary>
/// Imports one source: reads its bars into batches of at most <see cref="ImportOptions.MaxBarsPerCommit"/>, splits
/// its span at bar boundaries between batches, validates each batch against its own range and commits it with that
/// range as coverage. A batch is cut only between two different open times, so copies of one bar are always judged
/// together.
/// </summary>
internal sealed class FileImport(ImportRun run, ImportSource source)
{
    private readonly List<Bar> _batch = [];
    private readonly List<QuarantinedBar> _rejected = [];
    private readonly List<QuarantinedBar> _samples = [];
    private readonly Timeframe _timeframe = run.Series.Timeframe;
    private long _read;
    private long _stored;
    private long _quarantined;
    private int _commits;
    private long _maxOpen = long.MinValue;
    private DateTimeOffset _batchStartedAt;
    private long _batchTimestamp;

    public async Task<ImportFileReport> RunAsync(CancellationToken cancellationToken)
    {
        var span = source.Span;
        long? firstStart = span?.FromMs;
        var batchStart = firstStart;
        StartBatch();
        await foreach (var bar in source.Bars.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            _read++;
            run.BarsRead++;
            if (span is { } s && !s.Contains(bar.OpenTimeMs))
            {
                _rejected.Add(new QuarantinedBar(bar, $"open time {UtcTime.ToIso(bar.OpenTimeMs)} is outside {s}, the span its file holds"));
                continue;
            }

            if (batchStart is not { } start)
            {
                firstStart = batchStart = _timeframe.Floor(bar.OpenTimeMs);
            }
            else if (bar.OpenTimeMs < start)
            {
                _rejected.Add(new QuarantinedBar(bar, $"open time {UtcTime.ToIso(bar.OpenTimeMs)} comes after later bars of its file (rows must ascend in time)"));
                continue;
            }
            else if (_batch.Count + _rejected.Count >= run.Options.MaxBarsPerCommit && bar.OpenTimeMs > _maxOpen)
            {
                var boundary = _timeframe.Floor(bar.OpenTimeMs);
                if (boundary > start)
                {
                    await CommitAsync(new TimeRange(start, boundary), cancellationToken).ConfigureAwait(false);
                    batchStart = boundary;
                }
            }

            _batch.Add(bar);
            _maxOpen = Math.Max(_maxOpen, bar.OpenTimeMs);
        }

        TimeRange? covered = null;
        if (batchStart is { } last)
        {
            var end = span?.ToMs ?? _timeframe.CloseOf(_timeframe.Floor(_maxOpen));
            await CommitAsync(new TimeRange(last, end), cancellationToken).ConfigureAwait(false);
            covered = new TimeRange(firstStart!.Value, end);
        }

        return new ImportFileReport(source.Name, covered, _read, _stored, _quarantined, _commits, _samples);
    }

    private async Task CommitAsync(TimeRange range, CancellationToken cancellationToken)
    {
        var read = _batch.Count + _rejected.Count;
        var checkedBars = BarValidator.Check(_batch, _timeframe, range);
        var quarantined = new List<QuarantinedBar>(_rejected.Count + checkedBars.Quarantined.Count);
        quarantined.AddRange(_rejected);
        quarantined.AddRange(checkedBars.Quarantined);
        var fresh = await run.DropHeldAsync(range, checkedBars.Good, quarantined, cancellationToken).ConfigureAwait(false);
        var toQuarantine = await run.NotYetQuarantinedAsync(range, quarantined, cancellationToken).ConfigureAwait(false);
        if (!run.AddsNothing(range, fresh, toQuarantine))
        {
            var call = new VendorCall(_batchStartedAt, $"import {source.Name}", null, read, 0, run.Clock.GetElapsedTime(_batchTimestamp));
            var commit = new ChunkCommit(run.Series, range, range, fresh, toQuarantine, [call]);
            var result = await run.Store.CommitAsync(commit, cancellationToken).ConfigureAwait(false);
            run.Committed(range, toQuarantine);
            _stored += result.BarsStored;
            run.BarsStored += result.BarsStored;
            _commits++;
        }

        _quarantined += quarantined.Count;
        _samples.AddRange(quarantined.Take(run.Options.MaxQuarantineSamples - _samples.Count));
        _batch.Clear();
        _rejected.Clear();
        run.Report(source.Name);
        StartBatch();
    }

    private void StartBatch()
    {
        _batchStartedAt = run.Clock.GetUtcNow();
        _batchTimestamp = run.Clock.GetTimestamp();
    }
}
