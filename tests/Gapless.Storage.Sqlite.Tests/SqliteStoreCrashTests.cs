using System.Diagnostics;
using Gapless.Core.Model;
using Gapless.Testing;

namespace Gapless.Storage.Sqlite.Tests;

/// <summary>A writer process killed with SIGKILL at an arbitrary moment leaves a consistent store.</summary>
public sealed class SqliteStoreCrashTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    public async Task WriterKilledMidCommit_LeavesBarsAndCoverageInStep(int daysBeforeKill)
    {
        var path = _folder.File("crash.db");
        using (var child = StartChild(path))
        {
            // Wait until it has committed some days, then kill it while it is busy with the next.
            string? line;
            while ((line = await child.StandardOutput.ReadLineAsync()) is not null && line != daysBeforeKill.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
            }

            Assert.NotNull(line);
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
        }

        await using var store = await SqliteMarketStore.OpenAsync(path);
        var coverage = await store.GetCoverageAsync(CrashChild.Series);
        var covered = Assert.Single(coverage);
        Assert.Equal(CrashChild.T0, covered.FromMs);
        Assert.True(covered.ToMs >= CrashChild.T0 + ((daysBeforeKill + 1) * CrashChild.Day), $"coverage {coverage}");

        // Every covered bar is there exactly, and no bar is stored past what its committed chunks cover.
        var days = (int)((covered.ToMs - CrashChild.T0) / CrashChild.Day) + 1;
        var expected = Enumerable.Range(0, days).SelectMany(CrashChild.BarsOfDay).Where(b => covered.Contains(b.OpenTimeMs)).ToArray();
        var held = await store.ReadAsync(CrashChild.Series, new TimeRange(CrashChild.T0, CrashChild.T0 + ((days + 5) * CrashChild.Day)));
        Assert.Equal(expected, held.ToArray());

        // The next run completes the range.
        var next = (int)((covered.ToMs - CrashChild.T0) / CrashChild.Day);
        var nextBars = CrashChild.BarsOfDay(next).Where(b => !covered.Contains(b.OpenTimeMs)).ToArray();
        var range = new TimeRange(covered.ToMs, CrashChild.T0 + ((next + 1) * CrashChild.Day));
        var result = await store.CommitAsync(new Core.Ports.ChunkCommit(CrashChild.Series, range, range, nextBars, [], []));
        Assert.Equal(nextBars.Length, result.BarsStored);
    }

    public void Dispose() => _folder.Dispose();

    private static Process StartChild(string path)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(typeof(CrashChild).Assembly.Location);
        start.ArgumentList.Add("crash-child");
        start.ArgumentList.Add(path);
        return Process.Start(start) ?? throw new InvalidOperationException("the child process did not start");
    }
}
