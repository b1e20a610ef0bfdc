using Gapless.Testing;

namespace Gapless.Providers.Tests.Alpaca;

/// <summary>Moves a <see cref="ManualTimeProvider"/> forward in steps while tasks run, so waits on it (rate limits, retries) end.</summary>
internal static class ClockStepper
{
    /// <summary>Advances <paramref name="clock"/> by <paramref name="step"/> every few real milliseconds until <paramref name="work"/> completes.</summary>
    public static async Task<T> RunAsync<T>(ManualTimeProvider clock, Task<T> work, TimeSpan step)
    {
        var deadline = TimeProvider.System.GetTimestamp();
        while (!work.IsCompleted)
        {
            if (TimeProvider.System.GetElapsedTime(deadline) > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("the work did not finish within 60 s of real time");
            }

            await Task.Delay(5);
            clock.Advance(step);
        }

        return await work;
    }

    /// <summary>Waits (real time) until <paramref name="condition"/> holds.</summary>
    public static async Task UntilAsync(Func<bool> condition)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            if (TimeProvider.System.GetElapsedTime(started) > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException("the condition did not hold within 30 s");
            }

            await Task.Delay(10);
        }
    }
}
