namespace Gapless.Cli.Tests;

internal static class CliAssert
{
    /// <summary>A failure the user can act on: the exit code, one line on stderr that says it, no stack trace.</summary>
    public static void OneLineError(CliResult result, int exitCode, string expectedFragment)
    {
        Assert.True(result.ExitCode == exitCode, $"exit code {result.ExitCode}, expected {exitCode}; stderr: {result.Stderr}");
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("gapless: ", line, StringComparison.Ordinal);
        Assert.Contains(expectedFragment, line, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Gapless.", result.Stderr, StringComparison.Ordinal);
    }

    public static void Succeeded(CliResult result)
        => Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}; stderr: {result.Stderr}");
}
