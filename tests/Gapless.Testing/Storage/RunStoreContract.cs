using Gapless.Core.Ports;
using Xunit;

namespace Gapless.Testing.Storage;

/// <summary>
/// The behaviour every <see cref="IRunStore"/> must show, run unchanged against SQLite (a real file), PostgreSQL (a real
/// server) and the in-memory fake. A store's test project derives from this class and says how to create a fresh,
/// empty store and how to open it again; xunit runs these facts for it. Records read back must equal what was written
/// exactly: every field, transitions in order with their times (to the millisecond, in UTC) and details, JSON
/// payloads as the same text, byte for byte.
/// </summary>
public abstract partial class RunStoreContract : IAsyncLifetime
{
    /// <summary>2024-11-21T10:00:00.123Z.</summary>
    protected static readonly DateTimeOffset T0 = new(2024, 11, 21, 10, 0, 0, 123, TimeSpan.Zero);

    /// <summary>
    /// A request as a person or another tool might write it: odd whitespace and line breaks, keys out of order, escapes,
    /// numbers with trailing zeros and exponents, null, an empty array. A store that normalised JSON would change it.
    /// </summary>
    protected const string RequestJson = """
        {"strategy": "sma_cross",  "symbols":["BTCUSDT","ETHUSDT"],
         "params": {"slow": 50.0, "fast": 10, "fee": 1.10E-3}, "from":"2024-01-01", "note":"caf\u00e9 \"quoted\" ✓",
         "z": null, "a": [] , "z2": {}}
        """;

    protected const string SummaryJson = """{"total_return":"0.1250","sharpe":1.40,"trades":2,"equity_end":11250.00}""";

    protected const string TradesJson = """
        [ {"symbol":"BTCUSDT","side":"buy","qty":"0.50000000","price":"42000.01000000","at":"2024-01-02T00:00:00Z"},
          {"symbol":"BTCUSDT","side":"sell","qty":"0.50000000","price":"43000.00000000","at":"2024-01-05T00:00:00Z"} ]
        """;

    private readonly List<IRunStore> _opened = [];

    /// <summary>A new, empty store on its own database.</summary>
    protected abstract Task<IRunStore> CreateStoreCoreAsync();

    /// <summary>A second, independent instance on the same database as the last store created (the same instance for a store with no database).</summary>
    protected abstract Task<IRunStore> OpenSameStoreCoreAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _opened.Distinct())
        {
            await DisposeStoreAsync(store);
        }
    }

    [Fact]
    public async Task Create_ThenGet_ReturnsTheSameRecordExactly()
    {
        var store = await CreateStoreAsync();
        var run = new RunRecord(
            "bt-20241121-0001",
            "backtest",
            T0,
            RequestJson,
            RunStatus.FetchingData,
            [new(RunStatus.Pending, T0), new(RunStatus.FetchingData, T0.AddMilliseconds(1), "")],
            null);

        await store.CreateRunAsync(run);

        AssertSameRun(run, await store.GetRunAsync(run.Id));
    }

    [Fact]
    public async Task Get_OfAnUnknownId_IsNull()
    {
        var store = await CreateStoreAsync();
        await store.CreateRunAsync(NewRun("bt-1", T0));

        Assert.Null(await store.GetRunAsync("bt-2"));
        Assert.Null(await store.GetRunAsync("BT-1"));
    }

    [Fact]
    public async Task Lifecycle_TransitionsThenFinish_KeepsEveryStatusInOrderWithItsTimeAndDetail()
    {
        var store = await CreateStoreAsync();
        var run = NewRun("bt-1", T0);
        await store.CreateRunAsync(run);
        RunTransition[] steps =
        [
            new(RunStatus.FetchingData, T0.AddSeconds(1), "2 series, 3 chunks missing"),
            new(RunStatus.Running, T0.AddSeconds(20)),
            new(RunStatus.Running, T0.AddSeconds(21), "bar 5000 of 10000"),
        ];
        foreach (var step in steps)
        {
            await store.TransitionAsync(run.Id, step);
        }

        var midway = run with { Status = RunStatus.Running, Transitions = [.. run.Transitions, .. steps] };
        AssertSameRun(midway, await store.GetRunAsync(run.Id));

        var final = new RunTransition(RunStatus.Completed, T0.AddSeconds(30), "done");
        var outcome = new RunOutcome(SummaryJson, TradesJson, null);
        await store.FinishAsync(run.Id, final, outcome);

        AssertSameRun(midway with { Status = RunStatus.Completed, Transitions = [.. midway.Transitions, final], Outcome = outcome }, await store.GetRunAsync(run.Id));
    }

    [Fact]
    public async Task Finish_AsFailed_KeepsTheErrorExactlyAndNoSummary()
    {
        var store = await CreateStoreAsync();
        var run = NewRun("bt-1", T0);
        await store.CreateRunAsync(run);
        var final = new RunTransition(RunStatus.Failed, T0.AddSeconds(2), "while fetching");
        var outcome = new RunOutcome(null, null, "The vendor refused the symbol 'XYZ'.\nSecond line, naïve ✓");

        await store.FinishAsync(run.Id, final, outcome);

        AssertSameRun(run with { Status = RunStatus.Failed, Transitions = [run.Transitions[0], final], Outcome = outcome }, await store.GetRunAsync(run.Id));
    }

    [Fact]
    public async Task Create_OfARunThatHasEnded_KeepsItsOutcome()
    {
        var store = await CreateStoreAsync();
        var run = new RunRecord(
            "bt-1",
            "backtest",
            T0,
            "{}",
            RunStatus.Completed,
            [new(RunStatus.Pending, T0), new(RunStatus.Running, T0.AddSeconds(1)), new(RunStatus.Completed, T0.AddSeconds(2))],
            new RunOutcome("[]", null, null));

        await store.CreateRunAsync(run);

        AssertSameRun(run, await store.GetRunAsync(run.Id));
    }

    [Fact]
    public async Task Times_AreKeptToTheMillisecond_AndReadBackInUtc()
    {
        var store = await CreateStoreAsync();
        var paris = TimeSpan.FromHours(1);

        // 10:00:00.123 4567 ticks in Paris (UTC+1): kept as 09:00:00.123Z.
        var created = new DateTimeOffset(2024, 11, 21, 10, 0, 0, 123, paris).AddTicks(4567);
        var at = created.AddMilliseconds(5).AddTicks(4000); // .1288567: floored, not rounded, to .128
        await store.CreateRunAsync(new RunRecord("bt-1", "backtest", created, "{}", RunStatus.Pending, [new(RunStatus.Pending, created)], null));
        await store.TransitionAsync("bt-1", new RunTransition(RunStatus.Running, at));

        var read = await store.GetRunAsync("bt-1");

        Assert.NotNull(read);
        var createdUtc = new DateTimeOffset(2024, 11, 21, 9, 0, 0, 123, TimeSpan.Zero);
        Assert.Equal((createdUtc, TimeSpan.Zero), (read.CreatedAt, read.CreatedAt.Offset));
        Assert.Equal([createdUtc, createdUtc.AddMilliseconds(5)], read.Transitions.Select(t => t.At));
        Assert.All(read.Transitions, t => Assert.Equal(TimeSpan.Zero, t.At.Offset));
        Assert.All(read.Transitions, t => Assert.Equal(0, t.At.Ticks % TimeSpan.TicksPerMillisecond));
    }

    [Fact]
    public async Task List_IsNewestFirst_TiesById_AndAtMostTheLimit()
    {
        var store = await CreateStoreAsync();
        var runs = new[]
        {
            NewRun("run-c", T0),
            NewRun("run-b", T0.AddSeconds(2)),
            NewRun("run-old", T0.AddDays(-1)),
            NewRun("run-a", T0.AddSeconds(2)),
            NewRun("run-d", T0.AddMilliseconds(1)),
        };
        foreach (var run in runs)
        {
            await store.CreateRunAsync(run);
        }

        var final = new RunTransition(RunStatus.Completed, T0.AddSeconds(3));
        await store.FinishAsync("run-c", final, new RunOutcome(SummaryJson, "[]", null));
        var finished = runs[0] with { Status = RunStatus.Completed, Transitions = [runs[0].Transitions[0], final], Outcome = new RunOutcome(SummaryJson, "[]", null) };

        var all = await store.ListRunsAsync();

        Assert.Equal(["run-a", "run-b", "run-d", "run-c", "run-old"], all.Select(r => r.Id));
        AssertSameRun(runs[3], all[0]);
        AssertSameRun(finished, all[3]);
        Assert.Equal(["run-a", "run-b", "run-d"], (await store.ListRunsAsync(3)).Select(r => r.Id));
        Assert.Equal(["run-a"], (await store.ListRunsAsync(1)).Select(r => r.Id));
        Assert.Empty(await store.ListRunsAsync(0));
    }

    [Fact]
    public async Task List_OfAnEmptyStore_IsEmpty()
    {
        var store = await CreateStoreAsync();

        Assert.Empty(await store.ListRunsAsync());
    }

    [Fact]
    public async Task Run_SurvivesReopeningTheStore()
    {
        var store = await CreateStoreAsync();
        var run = NewRun("bt-1", T0);
        await store.CreateRunAsync(run);
        await store.TransitionAsync(run.Id, new RunTransition(RunStatus.Running, T0.AddSeconds(1), "go"));
        await store.FinishAsync(run.Id, new RunTransition(RunStatus.Completed, T0.AddSeconds(2)), new RunOutcome(SummaryJson, TradesJson, null));
        await store.CreateRunAsync(NewRun("bt-2", T0.AddSeconds(5)));
        var before = await store.GetRunAsync(run.Id);
        await CloseAsync(store);

        var reopened = await OpenSameStoreAsync();

        AssertSameRun(before!, await reopened.GetRunAsync(run.Id));
        Assert.Equal(["bt-2", "bt-1"], (await reopened.ListRunsAsync()).Select(r => r.Id));
        await reopened.TransitionAsync("bt-2", new RunTransition(RunStatus.Running, T0.AddSeconds(6)));
        Assert.Equal(RunStatus.Running, (await reopened.GetRunAsync("bt-2"))!.Status);
    }

    /// <summary>A new run, pending since <paramref name="createdAt"/>.</summary>
    protected static RunRecord NewRun(string id, DateTimeOffset createdAt, string request = RequestJson)
        => new(id, "backtest", createdAt, request, RunStatus.Pending, [new(RunStatus.Pending, createdAt)], null);

    /// <summary>
    /// Every field equal (records compare their transition lists by reference, so they are compared one by one), and
    /// every time read back in UTC.
    /// </summary>
    protected static void AssertSameRun(RunRecord expected, RunRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal((expected.Id, expected.Kind, expected.CreatedAt, expected.Status), (actual.Id, actual.Kind, actual.CreatedAt, actual.Status));
        Assert.Equal(expected.RequestJson, actual.RequestJson);
        Assert.Equal(expected.Transitions, actual.Transitions);
        Assert.Equal(expected.Outcome, actual.Outcome);
        Assert.Equal(TimeSpan.Zero, actual.CreatedAt.Offset);
        Assert.All(actual.Transitions, t => Assert.Equal(TimeSpan.Zero, t.At.Offset));
    }

    protected async Task<IRunStore> CreateStoreAsync() => Track(await CreateStoreCoreAsync());

    protected async Task<IRunStore> OpenSameStoreAsync() => Track(await OpenSameStoreCoreAsync());

    /// <summary>Disposes <paramref name="store"/> now (when it is disposable), as a process ending would.</summary>
    protected async Task CloseAsync(IRunStore store)
    {
        lock (_opened)
        {
            _opened.RemoveAll(s => ReferenceEquals(s, store));
        }

        await DisposeStoreAsync(store);
    }

    private static async Task DisposeStoreAsync(IRunStore store)
    {
        if (store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    private IRunStore Track(IRunStore store)
    {
        lock (_opened)
        {
            _opened.Add(store);
        }

        return store;
    }
}
