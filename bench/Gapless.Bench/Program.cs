using System.Globalization;
using System.Text;
using Gapless.Bench.Benchmarks;
using Gapless.Bench.Harness;

// Runs every benchmark and writes bench/RESULTS.md. Usage: dotnet run -c Release --project bench/Gapless.Bench [-- --out PATH] [--iterations N]
var outPath = ArgValue("--out") ?? Path.Combine(FindRepositoryRoot(), "bench", "RESULTS.md");
var iterations = int.Parse(ArgValue("--iterations") ?? "5", CultureInfo.InvariantCulture);
var folder = Path.Combine(Path.GetTempPath(), "gapless-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
Directory.CreateDirectory(folder);

var sections = new List<(string Title, IReadOnlyList<Result> Results)>();
try
{
    Console.Error.WriteLine("store benchmarks…");
    sections.Add(("Embedded store (SQLite segments)", await new StoreBenchmarks(folder, iterations).RunAsync()));
    Console.Error.WriteLine("plan benchmarks…");
    sections.Add(("Planning", await new PlanBenchmarks(folder, iterations).RunAsync()));
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
