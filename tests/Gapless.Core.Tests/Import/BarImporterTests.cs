using Gapless.Core.Import;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Testing;
using Gapless.Testing.Fakes;
using Gapless.Testing.Storage;

namespace Gapless.Core.Tests.Import;

public sealed class BarImporterTests
{
    private const long Minute = 60_000;
    private static readonly Series Series = new("csv", "BTCUSDT", Timeframe.M1);
    private static readonly long Jan1 = UtcTime.ToEpochMs(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private static readonly long Jan2 = Jan1 + (1440 * Minute);
    private static readonly long Jan3 = Jan2 + (1440 * Minute);

    private readonly InMemoryMarketStore _store = new();
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private BarImporter Importer(int maxBarsPerCommit = 50_000) => new(_store, _clock, new ImportOptions { MaxBarsPerCommit = maxBarsPerCommit });

    private static ImportSource Source(string name, TimeRange? span, IEnumerable<Bar> bars) => new(name, span, Async(bars));

    private static async IAsyncEnumerable<Bar> Async(IEnumerable<Bar> bars)
    {
        foreach (var bar in bars)
        {
            await Task.Yield();
            yield return bar;
        }
    }

    private async Task<List<Bar>> StoredAsync() => [.. await _store.ReadAsync(Series, new TimeRange(0, long.MaxValue))];

    [Fact]
    public async Task Import_TwoDailyFiles_StoresExactlyTheirBarsAndCoversTheirWholeDays()
    {
        var day1 = SampleBars.BtcLike(Jan1, 1440, seed: 1);
        var day2 = SampleBars.BtcLike(Jan2, 1000, seed: 2); // the file stops early: the rest of the day is a proven hole

        var report = await Importer().ImportAsync(Series, [Source("d1", new TimeRange(Jan1, Jan2), day1), Source("d2", new TimeRange(Jan2, Jan3), day2)]);

        BarAssert.Equal([.. day1, .. day2], await StoredAsync());
        Assert.Equal(RangeSet.Of(new TimeRange(Jan1, Jan3)), await _store.GetCoverageAsync(Series));
        Assert.Equal(RangeSet.Of(new TimeRange(Jan1, Jan3)), report.CoverageAdded);
        Assert.Equal(2440, report.BarsRead);
        Assert.Equal(2440, report.BarsStored);
        Assert.Equal(0, report.BarsQuarantined);
        Assert.Equal(0, report.BarsDuplicate);
        Assert.Equal([new TimeRange(Jan1, Jan2), new TimeRange(Jan2, Jan3)], report.Files.Select(f => f.Covered!.Value));
        Assert.Equal(2, _store.Commits);
    }

    [Fact]
    public async Task Import_FileWithoutSpan_CoversFirstOpenToLastClose()
    {
        var bars = SampleBars.BtcLike(Jan1 + (90 * Minute), 30);

        var report = await Importer().ImportAsync(Series, [Source("f", null, bars)]);

        var expected = new TimeRange(Jan1 + (90 * Minute), Jan1 + (120 * Minute));
        Assert.Equal(RangeSet.Of(expected), await _store.GetCoverageAsync(Series));
        Assert.Equal(expected, report.Files[0].Covered);
    }

    [Fact]
    public async Task Import_Again_IsIdempotentAndCommitsNothing()
    {
        var day1 = SampleBars.BtcLike(Jan1, 1440);
        var bad = day1[5] with { High = day1[5].Low - 1 };
        ImportSource[] Sources() => [Source("d1", new TimeRange(Jan1, Jan2), [.. day1[..5], bad, .. day1[6..]])];
        await Importer(maxBarsPerCommit: 500).ImportAsync(Series, Sources());
        var commits = _store.Commits;
        var quarantine = await _store.ReadQuarantineAsync(Series);
        var log = await _store.ReadFetchLogAsync(Series);

        var again = await Importer(maxBarsPerCommit: 500).ImportAsync(Series, Sources());

        Assert.Equal(commits, _store.Commits);
        Assert.Equal(0, again.BarsStored);
        Assert.Equal(1439, again.BarsDuplicate);
        Assert.Equal(1, again.BarsQuarantined);
        Assert.True(again.CoverageAdded.IsEmpty);
        Assert.Equal(quarantine, await _store.ReadQuarantineAsync(Series));
        Assert.Equal(log.Count, (await _store.ReadFetchLogAsync(Series)).Count);
        BarAssert.Equal([.. day1[..5], .. day1[6..]], await StoredAsync());
    }

    [Fact]
    public async Task Import_BadBar_IsQuarantinedWithItsReasonAndTheSlotStaysCovered()
    {
        var bars = SampleBars.BtcLike(Jan1, 10);
        var bad = bars[3] with { High = bars[3].Low - 1 };
        bars[3] = bad;

        var report = await Importer().ImportAsync(Series, [Source("f", new TimeRange(Jan1, Jan2), bars)]);

        var q = Assert.Single(report.Files[0].Quarantined);
        Assert.Equal(bad, q.Bar);
        Assert.StartsWith($"high ({bad.High}) is below low ({bad.Low})", q.Reason, StringComparison.Ordinal);
        Assert.Equal(1, report.BarsQuarantined);
        Assert.Equal(9, report.BarsStored);
        Assert.Equal(q, Assert.Single(await _store.ReadQuarantineAsync(Series)));
        Assert.DoesNotContain(await StoredAsync(), b => b.OpenTimeMs == bad.OpenTimeMs);
        Assert.True((await _store.GetCoverageAsync(Series)).Contains(new TimeRange(Jan1, Jan2)));
    }

    [Fact]
    public async Task Import_BarsOutsideTheNamedSpanOrOffTheGrid_AreQuarantined()
    {
        var inside = SampleBars.BtcLike(Jan1, 3);
        var nextDay = SampleBars.Simple(Jan2, 100m);
        var offGrid = SampleBars.Simple(Jan1 + (10 * Minute) + 30_000, 100m);

        var report = await Importer().ImportAsync(Series, [Source("f", new TimeRange(Jan1, Jan2), [.. inside, offGrid, nextDay])]);

        BarAssert.Equal(inside, await StoredAsync());
        Assert.Equal(2, report.BarsQuarantined);
        Assert.Contains(report.Files[0].Quarantined, q => q.Bar == nextDay && q.Reason.Contains("outside [2024-01-01T00:00:00Z, 2024-01-02T00:00:00Z)", StringComparison.Ordinal));
        Assert.Contains(report.Files[0].Quarantined, q => q.Bar == offGrid && q.Reason.Contains("is not on the 1m grid", StringComparison.Ordinal));
        Assert.Equal(RangeSet.Of(new TimeRange(Jan1, Jan2)), await _store.GetCoverageAsync(Series));
    }

    [Fact]
    public async Task Import_DuplicatesAcrossFiles_SameValuesStoredOnceDifferentValuesQuarantined()
    {
        var bars = SampleBars.BtcLike(Jan1, 20);
        var first = Source("a", null, bars[..12]);
        var changed = bars[11] with { Close = bars[11].Close + 0.01m, High = bars[11].High + 0.01m };
        var second = Source("b", null, [bars[10], changed, .. bars[12..]]); // overlaps the first file by two bars

        var report = await Importer().ImportAsync(Series, [first, second]);

        BarAssert.Equal(bars, await StoredAsync());
        Assert.Equal(22, report.BarsRead);
        Assert.Equal(20, report.BarsStored);
        Assert.Equal(1, report.BarsDuplicate);
        var q = Assert.Single(report.Files[1].Quarantined);
        Assert.Equal(changed, q.Bar);
        Assert.Contains("different values than the bar already stored", q.Reason, StringComparison.Ordinal);
        Assert.Equal(RangeSet.Of(new TimeRange(Jan1, Jan1 + (20 * Minute))), await _store.GetCoverageAsync(Series));
    }

    [Fact]
    public async Task Import_DuplicateRowsInOneFile_IdenticalCollapseConflictingAreQuarantined()
    {
        var bars = SampleBars.BtcLike(Jan1, 4);
        var conflict = bars[2] with { Volume = bars[2].Volume + 1 };

        var report = await Importer().ImportAsync(Series, [Source("f", null, [bars[0], bars[1], bars[1], bars[2], conflict, bars[3]])]);

        BarAssert.Equal([bars[0], bars[1], bars[3]], await StoredAsync());
        Assert.Equal(6, report.BarsRead);
        Assert.Equal(1, report.BarsDuplicate);
        Assert.Equal(2, report.BarsQuarantined);
        Assert.All(report.Files[0].Quarantined, q => Assert.Contains("duplicate open time", q.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Import_LargeFile_CommitsInBatchesWhoseCoverageTilesTheSpan()
    {
        var bars = SampleBars.BtcLike(Jan1, 2500).Where((_, i) => i % 7 != 3).ToArray(); // holes inside

        var report = await Importer(maxBarsPerCommit: 1000).ImportAsync(Series, [Source("f", new TimeRange(Jan1, Jan3), bars)]);

        Assert.Equal(3, _store.Commits);
        Assert.Equal(3, report.Files[0].Commits);
        BarAssert.Equal(bars, await StoredAsync());
        Assert.Equal(RangeSet.Of(new TimeRange(Jan1, Jan3)), await _store.GetCoverageAsync(Series));
        var log = await _store.ReadFetchLogAsync(Series);
        Assert.Equal(3, log.Count);
        Assert.All(log, e => Assert.Equal("import f", e.Call.Request));
        Assert.Equal(bars.Length, log.Sum(e => e.Call.Rows));
        Assert.Equal([Jan1, bars[1000].OpenTimeMs, bars[2000].OpenTimeMs], log.Select(e => e.Chunk.FromMs));
    }

    [Fact]
    public async Task Import_SourceFailsMidway_KeepsCommittedBatchesConsistentAndARerunCompletes()
    {
        var bars = SampleBars.BtcLike(Jan1, 2500);

        var failing = new ImportSource("f", null, FailAfter(bars, 1700));
        await Assert.ThrowsAsync<ImportDataException>(() => Importer(maxBarsPerCommit: 1000).ImportAsync(Series, [failing]));

        // One batch committed: its bars and exactly the span they prove, up to the next batch's first bar.
        BarAssert.Equal(bars[..1000], await StoredAsync());
        Assert.Equal(RangeSet.Of(new TimeRange(Jan1, bars[1000].OpenTimeMs)), await _store.GetCoverageAsync(Series));

        var rerun = await Importer(maxBarsPerCommit: 1000).ImportAsync(Series, [Source("f", null, bars)]);

        BarAssert.Equal(bars, await StoredAsync());
        Assert.Equal(1500, rerun.BarsStored);
        Assert.Equal(1000, rerun.BarsDuplicate);
        Assert.Equal(RangeSet.Of(new TimeRange(Jan1, Jan1 + (2500 * Minute))), await _store.GetCoverageAsync(Series));
    }

    [Fact]
    public async Task Import_EmptyDailyFile_CoversTheDayWithNoBars()
    {
        var report = await Importer().ImportAsync(Series, [Source("empty", new TimeRange(Jan1, Jan2), [])]);

        Assert.Empty(await StoredAsync());
        Assert.Equal(RangeSet.Of(new TimeRange(Jan1, Jan2)), await _store.GetCoverageAsync(Series));
        Assert.Equal(0, report.BarsRead);
    }

    [Fact]
    public async Task Import_EmptyFileWithoutSpan_ProvesNothing()
    {
        var report = await Importer().ImportAsync(Series, [Source("empty", null, [])]);

        Assert.True((await _store.GetCoverageAsync(Series)).IsEmpty);
        Assert.Null(report.Files[0].Covered);
        Assert.Equal(0, _store.Commits);
    }

    [Fact]
    public async Task Import_ReportsProgressPerBatchAndFile()
    {
        var seen = new List<ImportProgress>();
        var progress = new SyncProgress<ImportProgress>(seen.Add);

        await Importer(maxBarsPerCommit: 100).ImportAsync(Series, [Source("a", null, SampleBars.BtcLike(Jan1, 250)), Source("b", null, SampleBars.BtcLike(Jan2, 10))], progress);

        Assert.Equal(2, seen[^1].FilesDone);
        Assert.Equal(2, seen[^1].FilesTotal);
        Assert.Equal(260, seen[^1].BarsRead);
        Assert.Equal(260, seen[^1].BarsStored);
        Assert.Contains(seen, p => p.File == "a" && p.FilesDone == 0 && p.BarsRead == 101);
    }

    private static async IAsyncEnumerable<Bar> FailAfter(Bar[] bars, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return bars[i];
        }

        throw new ImportDataException("f", count + 1, "not a bar");
    }

    /// <summary>Reports on the caller's thread, in order (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
