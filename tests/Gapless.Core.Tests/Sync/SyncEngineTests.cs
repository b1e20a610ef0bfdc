using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Sync;
using Gapless.Testing;
using Gapless.Testing.Fakes;

namespace Gapless.Core.Tests.Sync;

public sealed class SyncEngineTests
{
    private static readonly DateTimeOffset Now = new(2024, 6, 1, 12, 0, 30, TimeSpan.Zero);
    private static readonly Series Series = new("scripted", "BTCUSDT", Timeframe.M1);

    private readonly InMemoryMarketStore _store = new();
    private readonly ScriptedProvider _provider = new();
    private readonly ManualTimeProvider _clock = new(Now);

    private SyncEngine Engine() => new(_store, _clock);

    private static TimeRange Minutes(string from, long minutes)
    {
        var start = UtcTime.ToEpochMs(DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture));
        return new TimeRange(start, start + (minutes * 60_000));
    }

    private async Task<List<Bar>> StoredAsync(TimeRange range) => [.. await _store.ReadAsync(Series, range)];

    [Fact]
    public async Task Sync_EmptyStore_FetchesCeilBarsOverMaxRequestsAndStoresExactlyTheVendorsBars()
    {
        var range = Minutes("2024-01-01T00:00Z", 2500);

        var report = await Engine().SyncAsync(_provider, Series, range);

        Assert.Equal(
            [Minutes("2024-01-01T00:00Z", 1000), Minutes("2024-01-01T16:40Z", 1000), Minutes("2024-01-02T09:20Z", 500)],
            _provider.Requests.Order().ToList());
        Assert.Equal(_provider.Truth(Timeframe.M1, range), await StoredAsync(range));
        Assert.Equal(RangeSet.Of(range), await _store.GetCoverageAsync(Series));
        Assert.Equal(3, report.Requests);
        Assert.Equal(2500, report.BarsFetched);
        Assert.Equal(2500, report.BarsStored);
        Assert.True(report.IsComplete);
        Assert.Equal(RangeSet.Of(range), report.MissingBefore);
    }

    [Fact]
    public async Task Sync_CoveredRange_SendsNoRequest()
    {
        var range = Minutes("2024-01-01T00:00Z", 1500);
        await Engine().SyncAsync(_provider, Series, range);
        var before = _provider.Requests.Count;

        var report = await Engine().SyncAsync(_provider, Series, Minutes("2024-01-01T03:00Z", 600));

        Assert.Equal(before, _provider.Requests.Count);
        Assert.Equal(0, report.Requests);
        Assert.True(report.MissingBefore.IsEmpty);
    }

    [Fact]
    public async Task Sync_WiderRange_FetchesOnlyTheNewEdges()
    {
        await Engine().SyncAsync(_provider, Series, Minutes("2024-01-02T00:00Z", 1440));
        var before = _provider.Requests.Count;

        var wide = Minutes("2024-01-01T23:00Z", 1440 + 60 + 30);
        var report = await Engine().SyncAsync(_provider, Series, wide);

        Assert.Equal(
            [Minutes("2024-01-01T23:00Z", 60), Minutes("2024-01-03T00:00Z", 30)],
            _provider.Requests.Skip(before).Order().ToList());
        Assert.Equal(RangeSet.Of([Minutes("2024-01-01T23:00Z", 60), Minutes("2024-01-03T00:00Z", 30)]), report.MissingBefore);
        Assert.Equal(_provider.Truth(Timeframe.M1, wide), await StoredAsync(wide));
    }

    [Fact]
    public async Task Sync_ExtendLastChunk_RangesEndingAtDifferentPlaces_CutTheSameChunksAndMakeTheMinimumRequests()
    {
        var engine = new SyncEngine(_store, _clock, new SyncOptions { ExtendLastChunk = true });

        // One after the other, the worst order: without the extension the second would start at bar 1200.
        await engine.SyncAsync(_provider, Series, Minutes("2024-01-01T00:00Z", 1200));
        await engine.SyncAsync(_provider, Series, Minutes("2024-01-01T00:00Z", 2000));

        Assert.Equal([Minutes("2024-01-01T00:00Z", 1000), Minutes("2024-01-01T16:40Z", 1000)], _provider.Requests.Order().ToList());
        var fetched = Minutes("2024-01-01T00:00Z", 2000);
        Assert.Equal(RangeSet.Of(fetched), await _store.GetCoverageAsync(Series));
        Assert.Equal(_provider.Truth(Timeframe.M1, fetched), await StoredAsync(fetched));
    }

    [Fact]
    public async Task Sync_ExtendLastChunk_StopsAtCoverageAndAtTheHorizon()
    {
        var engine = new SyncEngine(_store, _clock, new SyncOptions { ExtendLastChunk = true });
        await Engine().SyncAsync(_provider, Series, Minutes("2024-01-01T05:00Z", 60));
        var before = _provider.Requests.Count;

        var report = await engine.SyncAsync(_provider, Series, Minutes("2024-01-01T04:00Z", 30));
        var nearNow = await engine.SyncAsync(_provider, Series, Minutes("2024-06-01T11:00Z", 10));

        Assert.Equal(
            [Minutes("2024-01-01T04:00Z", 60), Minutes("2024-06-01T11:00Z", 60)], // up to the coverage; up to the horizon (12:00)
            _provider.Requests.Skip(before).Order().ToList());
        Assert.Equal(RangeSet.Of(Minutes("2024-01-01T04:00Z", 30)), report.MissingBefore);
        Assert.True(report.IsComplete);
        Assert.True(nearNow.IsComplete);
    }

    [Fact]
    public async Task Plan_ExtendLastChunk_ShowsTheWholeLastChunk()
    {
        var engine = new SyncEngine(_store, _clock, new SyncOptions { ExtendLastChunk = true });

        var plan = await engine.PlanAsync(_provider, Series, Minutes("2024-01-01T00:00Z", 1200));

        Assert.Equal([Minutes("2024-01-01T00:00Z", 1000), Minutes("2024-01-01T16:40Z", 1000)], plan.Chunks);
        Assert.Equal(1200, plan.Bars);
    }

    [Fact]
    public async Task Sync_VendorHoleInsideFetchedRange_IsCoveredAndNeverRequestedAgain()
    {
        var range = Minutes("2024-01-01T00:00Z", 900);
        var hole = Minutes("2024-01-01T05:00Z", 45);
        _provider.Holes = RangeSet.Of(hole);

        await Engine().SyncAsync(_provider, Series, range);
        var before = _provider.Requests.Count;
        var again = await Engine().SyncAsync(_provider, Series, hole);

        Assert.Equal(before, _provider.Requests.Count);
        Assert.Equal(0, again.Requests);
        Assert.Equal(RangeSet.Of(range), await _store.GetCoverageAsync(Series));
        Assert.DoesNotContain(await StoredAsync(range), b => hole.Contains(b.OpenTimeMs));
        Assert.Equal(_provider.Truth(Timeframe.M1, range), await StoredAsync(range));
    }

    [Fact]
    public async Task Sync_FailedChunk_StaysUncoveredAndIsTheOnlyChunkFetchedNextRun()
    {
        var range = Minutes("2024-01-01T00:00Z", 3000);
        var failing = Minutes("2024-01-01T16:40Z", 1000);
        _provider.Fail = c => c == failing ? new VendorException("scripted", VendorErrorKind.ServerError, "HTTP 503 after 3 retries", 503) : null;

        var first = await Engine().SyncAsync(_provider, Series, range);

        var failure = Assert.Single(first.Failures);
        Assert.Equal(failing, failure.Chunk);
        Assert.Equal(ChunkStatus.Failed, failure.Status);
        Assert.Equal(RangeSet.Of(failing), first.MissingAfter);
        Assert.Equal(RangeSet.Of(range).Subtract(failing), await _store.GetCoverageAsync(Series));
        Assert.Contains(await _store.ReadFetchLogAsync(Series), e => e.Chunk == failing && e.Call.Error == "HTTP 503 after 3 retries");

        _provider.Fail = null;
        var before = _provider.Requests.Count;
        var second = await Engine().SyncAsync(_provider, Series, range);

        Assert.Equal([failing], _provider.Requests.Skip(before).ToList());
        Assert.True(second.IsComplete);
        Assert.Equal(_provider.Truth(Timeframe.M1, range), await StoredAsync(range));
    }

    [Fact]
    public async Task Sync_RefusedSymbol_StopsAskingAndCoversNothing()
    {
        var provider = new ScriptedProvider();
        var release = new TaskCompletionSource();
        provider.Gate = release.Task;
        provider.Fail = _ => new VendorException("scripted", VendorErrorKind.InvalidSymbol, "scripted refused symbol 'BTCUSDT': Invalid symbol. (-1121)", 400, -1121);
        var range = Minutes("2024-01-01T00:00Z", 20_000);

        var syncing = Engine().SyncAsync(provider, Series, range);
        release.SetResult();
        var report = await syncing;

        Assert.True(provider.Requests.Count <= 4, $"{provider.Requests.Count} requests after a refusal");
        Assert.Equal(20, report.Chunks.Count);
        Assert.All(report.Chunks, c => Assert.Contains("Invalid symbol", c.Error, StringComparison.Ordinal));
        Assert.Contains(report.Chunks, c => c.Status == ChunkStatus.Skipped);
        Assert.True((await _store.GetCoverageAsync(Series)).IsEmpty);
    }

    [Fact]
    public async Task Sync_RangeReachingNow_StopsAtTheLastClosedBarAndNeverStoresTheOpenOne()
    {
        // Now is 12:00:30: the 12:00 bar is still open, the 11:59 bar closed at 12:00.
        var range = Minutes("2024-06-01T11:00Z", 120);

        var report = await Engine().SyncAsync(_provider, Series, range);

        var horizon = UtcTime.ToEpochMs(new DateTimeOffset(2024, 6, 1, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(horizon, report.HorizonMs);
        Assert.Equal(RangeSet.Of(Minutes("2024-06-01T11:00Z", 60)), await _store.GetCoverageAsync(Series));
        Assert.Equal(horizon - 60_000, (await StoredAsync(range)).Max(b => b.OpenTimeMs));
        Assert.True(report.IsComplete);
    }

    [Fact]
    public async Task Sync_FinalizationDelay_MovesTheHorizonBack()
    {
        var provider = new ScriptedProvider(finalizationDelay: TimeSpan.FromMinutes(10));

        await Engine().SyncAsync(provider, Series, Minutes("2024-06-01T11:00Z", 120));

        Assert.Equal(RangeSet.Of(Minutes("2024-06-01T11:00Z", 50)), await _store.GetCoverageAsync(Series));
    }

    [Fact]
    public async Task Sync_BadBars_AreQuarantinedWithReasonsAndNeverServed()
    {
        var range = Minutes("2024-01-01T00:00Z", 10);
        var broken = range.FromMs + (3 * 60_000);
        _provider.Tamper = (_, bars) => bars
            .Select(b => b.OpenTimeMs == broken ? b with { High = b.Low - 1 } : b)
            .Append(ScriptedProvider.BarAt(range.FromMs + 90_000) with { OpenTimeMs = range.FromMs + 90_000 })
            .ToList();

        var report = await Engine().SyncAsync(_provider, Series, range);

        Assert.Equal(2, report.BarsQuarantined);
        var stored = await StoredAsync(range);
        Assert.Equal(_provider.Truth(Timeframe.M1, range).Where(b => b.OpenTimeMs != broken).ToList(), stored);
        var reasons = (await _store.ReadQuarantineAsync(Series)).Select(q => q.Reason).Order().ToList();
        Assert.Contains(reasons, r => r.StartsWith("high (", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("not on the 1m grid", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sync_OverlappingConcurrentCallers_FetchEachChunkOnce()
    {
        var release = new TaskCompletionSource();
        _provider.Gate = release.Task;
        var engine = Engine();
        var a = Minutes("2024-01-01T00:00Z", 3000);
        var b = Minutes("2024-01-01T10:00Z", 3000);

        var first = engine.SyncAsync(_provider, Series, a);
        await WaitUntilAsync(() => _provider.Requests.Count == 3);
        var second = engine.SyncAsync(_provider, Series, b);
        await WaitUntilAsync(() => _provider.Requests.Count == 4);
        release.SetResult();
        var reports = await Task.WhenAll(first, second);

        Assert.Equal(4, _provider.Requests.Count);
        Assert.Equal(_provider.Requests.Count, _provider.Requests.Distinct().Count());
        Assert.Contains(reports[1].Chunks, c => c.Shared);
        Assert.All(reports, r => Assert.True(r.IsComplete));
        var union = new TimeRange(a.FromMs, b.ToMs);
        Assert.Equal(_provider.Truth(Timeframe.M1, union), await StoredAsync(union));
    }

    [Fact]
    public async Task Sync_ChunkAnotherCallerFailedToFetch_IsTakenOverByTheCallerWaitingForIt()
    {
        var release = new TaskCompletionSource();
        _provider.Gate = release.Task;
        var range = Minutes("2024-01-01T00:00Z", 1000);
        var attempts = 0;
        _provider.Fail = _ => Interlocked.Increment(ref attempts) == 1
            ? new VendorException("scripted", VendorErrorKind.ServerError, "HTTP 502 after retries", 502)
            : null;
        var engine = Engine();

        var first = engine.SyncAsync(_provider, Series, range);
        await WaitUntilAsync(() => _provider.Requests.Count == 1);
        var waiting = engine.SyncAsync(_provider, Series, range);
        release.SetResult();
        var reports = await Task.WhenAll(first, waiting);

        Assert.Equal([range, range], _provider.Requests);
        Assert.Equal(ChunkStatus.Failed, Assert.Single(reports[0].Chunks).Status);
        var second = Assert.Single(reports[1].Chunks);
        Assert.Equal((ChunkStatus.Fetched, 1, 1000), (second.Status, second.Requests, second.BarsStored));
        Assert.True(reports[1].IsComplete);
        Assert.Equal(_provider.Truth(Timeframe.M1, range), await StoredAsync(range));
    }

    [Fact]
    public async Task Sync_ReportsProgressForEveryChunk()
    {
        var seen = new List<SyncProgress>();
        var progress = new SynchronousProgress<SyncProgress>(seen.Add);

        await Engine().SyncAsync(_provider, Series, Minutes("2024-01-01T00:00Z", 4500), progress);

        Assert.Equal([1, 2, 3, 4, 5], seen.Select(p => p.ChunksDone).Order().ToList());
        Assert.All(seen, p => Assert.Equal(5, p.ChunksTotal));
        Assert.Equal(4500, seen.Max(p => p.BarsFetched));
    }

    [Fact]
    public async Task Sync_TimeframeTheProviderDoesNotServe_IsAnInvalidRequest()
    {
        var provider = new ScriptedProvider();
        var limited = new LimitedProvider(provider);

        var error = await Assert.ThrowsAsync<InvalidRequestException>(
            () => Engine().SyncAsync(limited, Series, Minutes("2024-01-01T00:00Z", 10)));

        Assert.Contains("does not serve timeframe 1m", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_TenYearsMissing_CountsChunksWeightAndWaitWithoutFetching()
    {
        var from = UtcTime.ToEpochMs(new DateTimeOffset(2014, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var to = UtcTime.ToEpochMs(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));

        var plan = await Engine().PlanAsync(_provider, Series, new TimeRange(from, to));

        var bars = (to - from) / 60_000;
        Assert.Equal(bars, plan.Bars);
        Assert.Equal((bars + 999) / 1000, plan.Chunks.Count);
        Assert.Equal(plan.Chunks.Count * 2L, plan.Weight);
        Assert.Equal(TimeSpan.FromMinutes((plan.Weight - 1) / 6000), plan.EstimatedWait);
        Assert.Empty(_provider.Requests);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), "condition not reached in 5 s");
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        private readonly Lock _gate = new();

        public void Report(T value)
        {
            lock (_gate)
            {
                report(value);
            }
        }
    }

    private sealed class LimitedProvider(ScriptedProvider inner) : Gapless.Core.Ports.IBarProvider
    {
        public string Name => inner.Name;

        public Gapless.Core.Ports.ProviderCapabilities Capabilities { get; } = inner.Capabilities with { Timeframes = [Timeframe.H1] };

        public Task<IReadOnlyList<Bar>> FetchAsync(Series series, TimeRange chunk, Gapless.Core.Ports.VendorCallLog calls, CancellationToken cancellationToken = default)
            => inner.FetchAsync(series, chunk, calls, cancellationToken);
    }
}
