using System.Diagnostics;

namespace Gapless.Bench.Harness;

/// <summary>Runs an operation several times after a warm-up and keeps the median: this machine is noisy.</summary>
internal sealed record Measurement(string Name, IReadOnlyList<TimeSpan> Runs)
{
    public TimeSpan Median => Runs.Order().ElementAt(Runs.Count / 2);

    public TimeSpan Min => Runs.Min();

    public static async Task<Measurement> RunAsync(string name, int iterations, Func<Task> setup, Func<Task> operation)
    {
        await setup();
        await operation(); // warm-up: JIT, caches
        var runs = new List<TimeSpan>();
        for (var i = 0; i < iterations; i++)
        {
            await setup();
            var watch = Stopwatch.StartNew();
            await operation();
            runs.Add(watch.Elapsed);
        }

        return new Measurement(name, runs);
    }
}
