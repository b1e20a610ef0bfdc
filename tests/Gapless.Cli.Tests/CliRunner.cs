using System.Diagnostics;

namespace Gapless.Cli.Tests;

/// <summary>What one run of the gapless command printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>
/// Runs the real <c>gapless</c> program (the built gapless.dll beside the tests) in its own process, as a user
/// would, with stdout and stderr redirected, so tests see exit codes, plain output and one-line errors.
/// </summary>
public sealed class CliRunner
{
    private readonly Dictionary<string, string?> _environment = [];

    /// <param name="dbPath">The store: a file path, or a PostgreSQL URL.</param>
    /// <param name="dataFolder">Where the CLI's own files (its log) go; beside a file store when null.</param>
    public CliRunner(string dbPath, string? dataFolder = null)
    {
        DbPath = dbPath;

        // Keep the user's environment out of the tests.
        _environment["GAPLESS_DB"] = null;
        _environment["GAPLESS_BINANCE_URL"] = null;
        _environment["XDG_DATA_HOME"] = Path.Combine(dataFolder ?? Path.GetDirectoryName(dbPath)!, "xdg");
    }

    public string DbPath { get; }

    /// <summary>gapless.dll in the CLI project's own output folder, as recorded at build time.</summary>
    public static string GaplessDll { get; } = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "gapless-cli-path.txt")).Trim();

    public CliRunner With(string variable, string? value)
    {
        _environment[variable] = value;
        return this;
    }

    public Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(GaplessDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.ArgumentList.Add("--db");
        info.ArgumentList.Add(DbPath);
        foreach (var (key, value) in _environment)
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        return Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
    }

    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
