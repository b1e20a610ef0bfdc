using System.Globalization;
using System.Text;
using Gapless.Bench.Benchmarks;
using Gapless.Bench.Harness;

// Runs every benchmark and writes bench/RESULTS.md. Usage: dotnet run -c Release --project bench/Gapless.Bench [-- --out PATH] [--iterations N] [--only store|plan|postgres|backtest]
// The PostgreSQL section starts a throwaway server from /usr/lib/postgresql/*/bin (or uses GAPLESS_TEST_POSTGRES) and needs psql on the PATH.
var outPath = ArgValue("--out") ?? Path.Combine(FindRepositoryRoot(), "bench", "RESULTS.md");
var iterations = int.Parse(ArgValue("--iterations") ?? "5", CultureInfo.InvariantCulture);
var only = ArgValue("--only");
var folder = Path.Combine(Path.GetTempPath(), "gapless-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
Directory.CreateDirectory(folder);

var sections = new List<(string Title, IReadOnlyList<Result> Results)>();
try
{
    if (Runs("store"))
    {
        Console.Error.WriteLine("store benchmarks…");
        sections.Add(("Embedded store (SQLite segments)", await new StoreBenchmarks(folder, iterations).RunAsync()));
    }

    if (Runs("plan"))
    {
        Console.Error.WriteLine("plan benchmarks…");
        sections.Add(("Planning", await new PlanBenchmarks(folder, iterations).RunAsync()));
    }

    if (Runs("backtest"))
    {
        Console.Error.WriteLine("backtest benchmarks…");
        sections.Add(("Backtest engine", await new BacktestBenchmarks(folder, iterations).RunAsync()));
    }

    if (Runs("postgres"))
    {
        Console.Error.WriteLine("postgres benchmarks…");
        sections.Add(("PostgreSQL store", await new PostgresBenchmarks(folder, iterations).RunAsync()));
    }
}
finally
{
    Directory.Delete(folder, recursive: true);
}

var md = new StringBuilder();
md.AppendLine("# Benchmark results").AppendLine();
md.AppendLine(CultureInfo.InvariantCulture, $"Written by `./scripts/bench.sh` on {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC.  ");
md.AppendLine(CultureInfo.InvariantCulture, $"Machine: {MachineInfo.Describe()}.  ");
md.AppendLine("Figures are medians of repeated runs after a warm-up; this machine is shared and noisy, so compare figures of one run as ratios.").AppendLine();
foreach (var (title, results) in sections)
{
    md.AppendLine(CultureInfo.InvariantCulture, $"## {title}").AppendLine();
    md.AppendLine("| benchmark | figure | target | verdict | runs |");
    md.AppendLine("|---|---:|---:|---|---|");
    foreach (var r in results)
    {
        var target = r.Target is { } t ? $"{(r.HigherIsBetter ? "≥" : "≤")} {r.Format(t)} {r.Unit}" : "";
        md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Format(r.Value)} {r.Unit} | {target} | {r.Verdict} | {r.Runs} |");
    }

    md.AppendLine();
}

await File.WriteAllTextAsync(outPath, md.ToString());
Console.WriteLine(md.ToString());
return 0;

bool Runs(string section) => only is null || string.Equals(only, section, StringComparison.OrdinalIgnoreCase);

static string? ArgValue(string name)
{
    var args = Environment.GetCommandLineArgs();
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static string FindRepositoryRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Gapless.slnx")))
    {
        dir = dir.Parent;
    }

    return dir?.FullName ?? Directory.GetCurrentDirectory();
}
