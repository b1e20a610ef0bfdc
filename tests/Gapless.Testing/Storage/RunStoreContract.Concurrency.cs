using Gapless.Core.Errors;
using Gapless.Core.Ports;
using Xunit;

namespace Gapless.Testing.Storage;

/// <summary>Writers at once: transitions of one run from many tasks, on one store instance and on two over one database.</summary>
public abstract partial class RunStoreContract
{
    [Fact]
    public async Task ConcurrentTransitions_OnOneRun_AreAllKeptEachOnce()
    {
        var store = await CreateStoreAsync();
        var run = NewRun("bt-1", T0);
        await store.CreateRunAsync(run);
        var steps = Enumerable.Range(1, 24).Select(i => new RunTransition(RunStatus.Running, T0.AddSeconds(i), $"step {i}")).ToArray();

        await Task.WhenAll(steps.Select(step => Task.Run(() => store.TransitionAsync(run.Id, step))));

        await AssertKeptEachOnceAsync(store, run, steps);
    }

    [Fact]
    public async Task ConcurrentTransitions_FromTwoInstancesOnOneDatabase_AreAllKeptEachOnce()
    {
        var first = await CreateStoreAsync();
        var second = await OpenSameStoreAsync();
        var run = NewRun("bt-1", T0);
        await first.CreateRunAsync(run);
        var steps = Enumerable.Range(1, 24).Select(i => new RunTransition(i % 3 == 0 ? RunStatus.FetchingData : RunStatus.Running, T0.AddSeconds(i), $"step {i}")).ToArray();

        await Task.WhenAll(steps.Select((step, i) => Task.Run(() => (i % 2 == 0 ? first : second).TransitionAsync(run.Id, step))));

        await AssertKeptEachOnceAsync(second, run, steps);

        // Numbering goes on after them: a finish lands last.
        var final = new RunTransition(RunStatus.Completed, T0.AddMinutes(1));
        await second.FinishAsync(run.Id, final, new RunOutcome("{}", "[]", null));
        var read = await first.GetRunAsync(run.Id);
        Assert.Equal(steps.Length + 2, read!.Transitions.Count);
        Assert.Equal(final, read.Transitions[^1]);
    }

    [Fact]
    public async Task ConcurrentCreates_OfOneId_LetExactlyOneWin()
    {
        var first = await CreateStoreAsync();
        var second = await OpenSameStoreAsync();
        var candidates = Enumerable.Range(0, 8).Select(i => NewRun("bt-1", T0.AddSeconds(i), $"{{\"candidate\":{i}}}")).ToArray();

        var attempts = candidates.Select((run, i) => Task.Run(async () =>
        {
            try
            {
                await (i % 2 == 0 ? first : second).CreateRunAsync(run);
                return run;
            }
            catch (StoreException e) when (e.Message.Contains("already holds a run 'bt-1'", StringComparison.Ordinal))
            {
                return null;
            }
        }));
        var winners = (await Task.WhenAll(attempts)).OfType<RunRecord>().ToArray();

        var winner = Assert.Single(winners);
        AssertSameRun(winner, await first.GetRunAsync("bt-1"));
    }

    /// <summary>The run holds its first transition, then every step exactly once (each with its own time), and its status is the last one's.</summary>
    private static async Task AssertKeptEachOnceAsync(IRunStore store, RunRecord run, RunTransition[] steps)
    {
        var read = await store.GetRunAsync(run.Id);
        Assert.NotNull(read);
        Assert.Equal(steps.Length + 1, read.Transitions.Count);
        Assert.Equal(run.Transitions[0], read.Transitions[0]);
        Assert.Equal(
            steps.OrderBy(s => s.At).ToArray(),
            read.Transitions.Skip(1).OrderBy(t => t.At).ToArray());
        Assert.Equal(read.Transitions[^1].Status, read.Status);
    }
}
