using Gapless.Backtesting.Runs;
using Gapless.Core;
using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Core.Sync;
using Gapless.Testing;
using Gapless.Testing.Fakes;

namespace Gapless.Backtesting.Tests.Runs;

/// <summary>Backtests that never run on holes: the data (warm-up included) is made complete first, once.</summary>
public sealed class BacktestRunnerTests
{
    private static readonly DateTimeOffset Now = new(2024, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly InMemoryMarketStore _store = new();
    private readonly ScriptedProvider _provider = new();
    private readonly ManualTimeProvider _clock = new(Now);

    private static long At(int day, int hour, int minute) => UtcTime.ToEpochMs(new DateTimeOffset(2024, 1, day, hour, minute, 0, TimeSpan.Zero));

    private static BacktestRequest Request(string symbol = "BTCUSDT", bool autoFetch = true) => new(
        "scripted",
        [symbol],
        Timeframe.M1,
        new TimeRange(At(1, 12, 0), At(2, 0, 0)),
        "sma-cross",
        new Dictionary<string, string> { ["fast"] = "5", ["slow"] = "20" },
        AutoFetch: autoFetch);

    private MarketData Data() => new(_store, new ProviderRegistry().Add("scripted", () => _provider), _clock);

    private BacktestRunner Runner() => new(Data(), _store, _clock);

    [Fact]
    public async Task Run_RangeWithMissingData_FetchesExactlyTheMissingRangesPlusWarmupThenCompletes()
    {
        // Stored already: 12:00–20:00. Needed: 20 warm-up bars before 12:00, and the range to midnight.
        await Data().SyncAsync(new Series("scripted", "BTCUSDT", Timeframe.M1), new TimeRange(At(1, 12, 0), At(1, 20, 0)));
        var before = _provider.Requests.Count;
        var seen = new List<BacktestProgress>();

        var run = await Runner().RunAsync(Request(), new SyncProgressRecorder(seen));

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(
            [new TimeRange(At(1, 11, 40), At(1, 12, 0)), new TimeRange(At(1, 20, 0), At(2, 0, 0))],
            _provider.Requests.Skip(before).Order().ToList());
        Assert.Equal(2, run.VendorRequests);
        Assert.Equal(20 + 720, run.BarsReplayed);
        Assert.Equal(0, run.MissingBars);
        Assert.Equal(
            [RunStatus.Pending, RunStatus.FetchingData, RunStatus.Running, RunStatus.Completed],
            seen.Select(p => p.Status).Distinct().ToList());
        Assert.Contains(seen, p => p.Status == RunStatus.FetchingData && p.Fetch is { ChunksTotal: 2 });

        var recorded = await _store.GetRunAsync(run.Id);
        Assert.NotNull(recorded);
        Assert.Equal(RunStatus.Completed, recorded.Status);
        Assert.Equal([RunStatus.Pending, RunStatus.FetchingData, RunStatus.Running, RunStatus.Completed], recorded.Transitions.Select(t => t.Status));
        Assert.Contains("\"total_return\"", recorded.Outcome!.SummaryJson, StringComparison.Ordinal);
        Assert.NotNull(recorded.Outcome.TradesJson);
    }

    [Fact]
    public async Task Run_TheSameBacktestAgain_MakesNoVendorRequestAndGivesTheSameResult()
    {
        var first = await Runner().RunAsync(Request());
        var requests = _provider.Requests.Count;

        var second = await Runner().RunAsync(Request());

        Assert.Equal(requests, _provider.Requests.Count);
        Assert.Equal(0, second.VendorRequests);
        Assert.Equal(first.Result!.Metrics, second.Result!.Metrics);
        Assert.Equal(first.Result.Trades, second.Result.Trades);
        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public async Task Run_VendorRefusesTheSymbol_FailsWithTheMessageAndReplaysNothing()
    {
        _provider.Fail = _ => new VendorException("scripted", VendorErrorKind.Refused, "scripted does not know symbol NOPE");
        var seen = new List<BacktestProgress>();

        var run = await Runner().RunAsync(Request("NOPE"), new SyncProgressRecorder(seen));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal("Failed to fetch required historical data: scripted does not know symbol NOPE", run.Error);
        Assert.Null(run.Result);
        Assert.DoesNotContain(seen, p => p.Status == RunStatus.Running);
        var recorded = await _store.GetRunAsync(run.Id);
        Assert.Equal(RunStatus.Failed, recorded!.Status);
        Assert.Equal([RunStatus.Pending, RunStatus.FetchingData, RunStatus.Failed], recorded.Transitions.Select(t => t.Status));
        Assert.Equal(run.Error, recorded.Outcome!.Error);
    }

    [Fact]
    public async Task Run_NoAutoFetch_ReplaysWhatIsStoredAndReportsTheMissingBars()
    {
        await Data().SyncAsync(new Series("scripted", "BTCUSDT", Timeframe.M1), new TimeRange(At(1, 12, 0), At(1, 20, 0)));
        var before = _provider.Requests.Count;

        var run = await Runner().RunAsync(Request(autoFetch: false));

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(before, _provider.Requests.Count);
        Assert.Equal(20 + 240, run.MissingBars);
        Assert.Equal(480, run.BarsReplayed);
        Assert.DoesNotContain(run.Transitions, t => t.Status == RunStatus.FetchingData);
    }

    [Fact]
    public async Task Run_UnknownStrategy_IsAUsageErrorAndRecordsNothing()
    {
        var request = Request() with { Strategy = "moon-shot" };

        await Assert.ThrowsAsync<InvalidRequestException>(() => Runner().RunAsync(request));

        Assert.Empty(await _store.ListRunsAsync());
    }

    [Fact]
    public void WithWarmup_UnderXnys_ReachesBackOverTheWeekendForTradingBars()
    {
        var calendar = Core.Calendars.TradingCalendars.Get("XNYS");
        var monday = new TimeRange(UtcTime.ToEpochMs(new DateTimeOffset(2024, 3, 4, 0, 0, 0, TimeSpan.Zero)), UtcTime.ToEpochMs(new DateTimeOffset(2024, 3, 5, 0, 0, 0, TimeSpan.Zero)));

        var needed = BacktestRunner.WithWarmup(monday, Timeframe.M30, 20, calendar);

        Assert.True(calendar.CountExpected(Timeframe.M30, new TimeRange(needed.FromMs, monday.FromMs)) >= 20);
        Assert.True(needed.FromMs < UtcTime.ToEpochMs(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero))); // Friday alone has 13
    }

    /// <summary>Records progress synchronously (Progress&lt;T&gt; would post to the thread pool and race the asserts).</summary>
    private sealed class SyncProgressRecorder(List<BacktestProgress> seen) : IProgress<BacktestProgress>
    {
        public void Report(BacktestProgress value)
        {
            lock (seen)
            {
                seen.Add(value);
            }
        }
    }
}
