using Gapless.Core.Errors;
using Gapless.Core.Ports;
using Xunit;

namespace Gapless.Testing.Storage;

/// <summary>What a run store refuses, and that a refused write leaves the run as it was.</summary>
public abstract partial class RunStoreContract
{
    [Fact]
    public async Task Transition_OrFinish_OfAnUnknownRun_FailsAndSaysWhich()
    {
        var store = await CreateStoreAsync();
        await store.CreateRunAsync(NewRun("bt-1", T0));

        var transition = await Assert.ThrowsAsync<StoreException>(() => store.TransitionAsync("nope", new RunTransition(RunStatus.Running, T0)));
        var finish = await Assert.ThrowsAsync<StoreException>(
            () => store.FinishAsync("nope", new RunTransition(RunStatus.Failed, T0), new RunOutcome(null, null, "x")));

        Assert.Contains("no run 'nope'", transition.Message, StringComparison.Ordinal);
        Assert.Contains("no run 'nope'", finish.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', transition.Message);
        Assert.False(transition.IsLocked);
        Assert.Null(await store.GetRunAsync("nope"));
        Assert.Equal(["bt-1"], (await store.ListRunsAsync()).Select(r => r.Id));
    }

    [Fact]
    public async Task Create_WithATakenId_FailsAndKeepsTheFirst()
    {
        var store = await CreateStoreAsync();
        var first = NewRun("bt-1", T0);
        await store.CreateRunAsync(first);

        var error = await Assert.ThrowsAsync<StoreException>(() => store.CreateRunAsync(NewRun("bt-1", T0.AddSeconds(1), "{\"other\":true}")));

        Assert.Contains("already holds a run 'bt-1'", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsLocked);
        AssertSameRun(first, await store.GetRunAsync("bt-1"));
        Assert.Single(await store.ListRunsAsync());
    }

    [Fact]
    public async Task Finish_Twice_FailsAndKeepsTheFirstOutcome()
    {
        var store = await CreateStoreAsync();
        var run = NewRun("bt-1", T0);
        await store.CreateRunAsync(run);
        var final = new RunTransition(RunStatus.Completed, T0.AddSeconds(1));
        var outcome = new RunOutcome(SummaryJson, TradesJson, null);
        await store.FinishAsync(run.Id, final, outcome);

        var again = await Assert.ThrowsAsync<StoreException>(
            () => store.FinishAsync(run.Id, new RunTransition(RunStatus.Failed, T0.AddSeconds(2)), new RunOutcome(null, null, "late")));

        Assert.Contains("run 'bt-1'", again.Message, StringComparison.Ordinal);
        Assert.Contains("is already completed", again.Message, StringComparison.Ordinal);
        AssertSameRun(run with { Status = RunStatus.Completed, Transitions = [run.Transitions[0], final], Outcome = outcome }, await store.GetRunAsync(run.Id));
    }

    [Fact]
    public async Task Transition_OfAFinishedRun_FailsAndChangesNothing()
    {
        var store = await CreateStoreAsync();
        var run = NewRun("bt-1", T0);
        await store.CreateRunAsync(run);
        var final = new RunTransition(RunStatus.Failed, T0.AddSeconds(1));
        await store.FinishAsync(run.Id, final, new RunOutcome(null, null, "boom"));

        var error = await Assert.ThrowsAsync<StoreException>(() => store.TransitionAsync(run.Id, new RunTransition(RunStatus.Running, T0.AddSeconds(2))));

        Assert.Contains("run 'bt-1'", error.Message, StringComparison.Ordinal);
        Assert.Contains("is already failed", error.Message, StringComparison.Ordinal);
        AssertSameRun(run with { Status = RunStatus.Failed, Transitions = [run.Transitions[0], final], Outcome = new RunOutcome(null, null, "boom") }, await store.GetRunAsync(run.Id));
    }

    [Fact]
    public async Task Create_WithARequestThatIsNotJson_FailsAndWritesNothing()
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAsync<StoreException>(() => store.CreateRunAsync(NewRun("bt-1", T0, "{\"strategy\": ")));
        await Assert.ThrowsAsync<StoreException>(() => store.CreateRunAsync(NewRun("bt-2", T0, "")));

        Assert.Null(await store.GetRunAsync("bt-1"));
        Assert.Empty(await store.ListRunsAsync());
    }

    [Fact]
    public async Task Finish_WithASummaryThatIsNotJson_FailsAndLeavesTheRunGoing()
    {
        var store = await CreateStoreAsync();
        var run = NewRun("bt-1", T0);
        await store.CreateRunAsync(run);

        await Assert.ThrowsAsync<StoreException>(
            () => store.FinishAsync(run.Id, new RunTransition(RunStatus.Completed, T0.AddSeconds(1)), new RunOutcome("total_return=0.1", null, null)));
        await Assert.ThrowsAsync<StoreException>(
            () => store.FinishAsync(run.Id, new RunTransition(RunStatus.Completed, T0.AddSeconds(1)), new RunOutcome("{}", "[1,", null)));

        AssertSameRun(run, await store.GetRunAsync(run.Id));
        var final = new RunTransition(RunStatus.Completed, T0.AddSeconds(2));
        await store.FinishAsync(run.Id, final, new RunOutcome("{}", "[]", null));
        AssertSameRun(run with { Status = RunStatus.Completed, Transitions = [run.Transitions[0], final], Outcome = new RunOutcome("{}", "[]", null) }, await store.GetRunAsync(run.Id));
    }

    [Fact]
    public async Task Arguments_BreakingTheRules_FailBeforeAnyWrite()
    {
        var store = await CreateStoreAsync();
        var run = NewRun("bt-1", T0);
        await store.CreateRunAsync(run);
        var done = new RunOutcome("{}", "[]", null);

        // Completed and failed end a run only through FinishAsync, with an outcome; FinishAsync takes only those.
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.TransitionAsync(run.Id, new RunTransition(RunStatus.Completed, T0)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.FinishAsync(run.Id, new RunTransition(RunStatus.Running, T0), done));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.TransitionAsync(" ", new RunTransition(RunStatus.Running, T0)));

        // A new run holds its first transition; its status is its last transition's; it has an outcome exactly when it has ended.
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.CreateRunAsync(NewRun("bt-2", T0) with { Transitions = [] }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.CreateRunAsync(NewRun("bt-2", T0) with { Status = RunStatus.Running }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.CreateRunAsync(NewRun("bt-2", T0) with { Outcome = done }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.CreateRunAsync(
            NewRun("bt-2", T0) with { Status = RunStatus.Completed, Transitions = [new(RunStatus.Completed, T0)] }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.CreateRunAsync(
            NewRun("bt-2", T0) with { Transitions = [new(RunStatus.Failed, T0), new(RunStatus.Pending, T0)] }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.CreateRunAsync(NewRun("", T0)));

        AssertSameRun(run, await store.GetRunAsync(run.Id));
        Assert.Single(await store.ListRunsAsync());
    }
}
