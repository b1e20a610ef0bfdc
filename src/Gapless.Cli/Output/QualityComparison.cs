using System.Globalization;
using System.Text.Json;

namespace Gapless.Cli.Output;

/// <summary>
/// <c>gapless quality --compare BEFORE.json AFTER.json</c>: missing bars before, after, and the reduction, per
/// series (matched on provider, symbol, timeframe) and in total.
/// </summary>
internal static class QualityComparison
{
    private sealed record Row(string Series, long? Before, long? After);

    public static void Write(CliConsole console, FileInfo before, FileInfo after, bool json)
    {
        var a = Load(before);
        var b = Load(after);
        var rows = a.Keys.Union(b.Keys, StringComparer.Ordinal)
            .Select(k => new Row(k, a.TryGetValue(k, out var x) ? x : null, b.TryGetValue(k, out var y) ? y : null))
            .ToList();
        var totalBefore = rows.Sum(r => r.Before ?? 0);
        var totalAfter = rows.Sum(r => r.After ?? 0);
        if (json)
        {
            JsonOutput.Write(console.Out, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("series");
                foreach (var r in rows)
                {
                    w.WriteStartObject();
                    w.WriteString("series", r.Series);
                    WriteNullable(w, "missing_before", r.Before);
                    WriteNullable(w, "missing_after", r.After);
                    WriteNullable(w, "reduction", r.Before is { } x && r.After is { } y ? x - y : null);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteStartObject("totals");
                w.WriteNumber("missing_before", totalBefore);
                w.WriteNumber("missing_after", totalAfter);
                w.WriteNumber("reduction", totalBefore - totalAfter);
                w.WriteNumber("reduction_pct", totalBefore == 0 ? 0 : Math.Round(100.0 * (totalBefore - totalAfter) / totalBefore, 2));
                w.WriteEndObject();
                w.WriteEndObject();
            });
            return;
        }

        var table = new HumanTable("series", "missing before", "missing after", "reduction") { Title = $"{before.Name} → {after.Name}" };
        foreach (var r in rows)
        {
            table.Add(r.Series, N(r.Before), N(r.After), r.Before is { } x && r.After is { } y ? Reduction(x, y) : "—");
        }

        table.Add("total", N(totalBefore), N(totalAfter), Reduction(totalBefore, totalAfter));
        table.Write(console);
    }

    /// <summary>Missing bars per series key (provider:symbol:timeframe) from a report written by <c>quality --format json</c>.</summary>
    private static Dictionary<string, long> Load(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new UsageException($"--compare: {file.FullName} does not exist");
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file.FullName));
            var result = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var s in document.RootElement.GetProperty("series").EnumerateArray())
            {
                var key = $"{s.GetProperty("provider").GetString()}:{s.GetProperty("symbol").GetString()}:{s.GetProperty("timeframe").GetString()}";
                result[key] = s.GetProperty("estimated_missing_bars").GetInt64();
            }

            return result;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new UsageException($"--compare: {file.FullName} is not a report of 'gapless quality --format json' ({ex.Message})");
        }
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static string N(long? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "—";

    private static string Reduction(long before, long after)
        => before == 0
            ? N(before - after)
            : string.Create(CultureInfo.InvariantCulture, $"{before - after:N0} ({100.0 * (before - after) / before:0.#} %)");
}
