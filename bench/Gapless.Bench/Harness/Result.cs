using System.Globalization;

namespace Gapless.Bench.Harness;

/// <summary>One figure of RESULTS.md, with its target where an issue names one.</summary>
internal sealed record Result(string Name, double Value, string Unit, double? Target, bool HigherIsBetter)
{
    public string? Runs { get; init; }

    public string Verdict => Target is null ? "" : (HigherIsBetter ? Value >= Target : Value <= Target) ? "met" : "NOT met";

    public static Result Rate(Measurement m, long items, string unit, double? target, bool higherIsBetter)
        => new(m.Name, items / m.Median.TotalSeconds, unit, target, higherIsBetter)
        {
            Runs = $"median {Ms(m.Median)} of {m.Runs.Count} runs (min {Ms(m.Min)}) for {items:N0} bars",
        };

    public static Result Time(Measurement m, TimeSpan? target)
        => new(m.Name, m.Median.TotalMilliseconds, "ms", target?.TotalMilliseconds, HigherIsBetter: false)
        {
            Runs = $"median of {m.Runs.Count} runs (min {Ms(m.Min)})",
        };

    public string Format(double value) => Unit switch
    {
        "bars/s" => value.ToString("N0", CultureInfo.InvariantCulture),
        "ms" => value.ToString("0.000", CultureInfo.InvariantCulture),
        _ => value.ToString("0.00", CultureInfo.InvariantCulture),
    };

    private static string Ms(TimeSpan t) => $"{t.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms";
}
