using System.Globalization;
using System.Text.Json;
using Gapless.Backtesting.Runs;
using Gapless.Core.Model;
using Gapless.Core.Ports;

namespace Gapless.Cli.Output;

/// <summary>Recorded runs: a table for people, JSON for scripts (payloads embedded as JSON, not strings).</summary>
internal static class RunsOutput
{
    public static void WriteList(CliConsole console, IReadOnlyList<RunRecord> runs, bool json)
    {
        if (json)
        {
            JsonOutput.Write(console.Out, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("runs");
                foreach (var run in runs)
                {
                    WriteRun(w, run, withTrades: false);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
            return;
        }

        if (runs.Count == 0)
        {
            console.Out.WriteLine("no runs recorded yet; try: gapless backtest --provider sim --symbol SIM-BTC --timeframe 1h --from 2024-01-01 --to 2024-03-31 --strategy sma-cross");
            return;
        }

        var table = new HumanTable("id", "created (UTC)", "status", "request", "total return", "trades", "error") { Title = "Runs" };
        foreach (var run in runs)
        {
            var (ret, trades) = Headline(run);
            table.Add(run.Id, HumanTime.Instant(UtcTime.ToEpochMs(run.CreatedAt)), RunJson.Status(run.Status), Describe(run.RequestJson), ret, trades, run.Outcome?.Error ?? string.Empty);
        }

        table.Write(console);
    }

    public static void WriteOne(CliConsole console, RunRecord run, bool json)
    {
        if (json)
        {
            JsonOutput.Write(console.Out, w => WriteRun(w, run, withTrades: true));
            return;
        }

        var (ret, trades) = Headline(run);
        var table = new HumanTable(string.Empty, string.Empty) { Title = $"Run {run.Id}" }
            .Add("request", Describe(run.RequestJson))
            .Add("status", RunJson.Status(run.Status))
            .Add("created", HumanTime.Instant(UtcTime.ToEpochMs(run.CreatedAt)))
            .Add("total return", ret)
            .Add("trades", trades);
        if (run.Outcome?.Error is { } error)
        {
            table.Add("error", error);
        }

        table.Write(console);
        var transitions = new HumanTable("status", "at (UTC)", "detail") { Title = "Status transitions" };
        foreach (var t in run.Transitions)
        {
            transitions.Add(RunJson.Status(t.Status), UtcTime.ToIso(UtcTime.ToEpochMs(t.At)), t.Detail ?? string.Empty);
        }

        transitions.Write(console);
    }

    private static void WriteRun(Utf8JsonWriter w, RunRecord run, bool withTrades)
    {
        w.WriteStartObject();
        w.WriteString("id", run.Id);
        w.WriteString("kind", run.Kind);
        w.WriteString("created_at", UtcTime.ToIso(UtcTime.ToEpochMs(run.CreatedAt)));
        w.WriteString("status", RunJson.Status(run.Status));
        w.WritePropertyName("request");
        w.WriteRawValue(run.RequestJson);
        w.WriteStartArray("transitions");
        foreach (var t in run.Transitions)
        {
            w.WriteStartObject();
            w.WriteString("status", RunJson.Status(t.Status));
            w.WriteString("at", UtcTime.ToIso(UtcTime.ToEpochMs(t.At)));
            w.WriteString("detail", t.Detail);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WritePropertyName("summary");
        Raw(w, run.Outcome?.SummaryJson);
        if (withTrades)
        {
            w.WritePropertyName("trades");
            Raw(w, run.Outcome?.TradesJson);
        }

        w.WriteString("error", run.Outcome?.Error);
        w.WriteEndObject();
    }

    private static void Raw(Utf8JsonWriter w, string? json)
    {
        if (json is null)
        {
            w.WriteNullValue();
        }
        else
        {
            w.WriteRawValue(json);
        }
    }

    private static (string Return, string Trades) Headline(RunRecord run)
    {
        if (run.Outcome?.SummaryJson is not { } summary)
        {
            return (string.Empty, string.Empty);
        }

        using var document = JsonDocument.Parse(summary);
        if (document.RootElement.GetProperty("metrics") is not { ValueKind: JsonValueKind.Object } metrics)
        {
            return (string.Empty, string.Empty);
        }

        return (
            (metrics.GetProperty("total_return").GetDouble() * 100).ToString("0.00", CultureInfo.InvariantCulture) + " %",
            metrics.GetProperty("trades").GetInt32().ToString(CultureInfo.InvariantCulture));
    }

    private static string Describe(string requestJson)
    {
        using var document = JsonDocument.Parse(requestJson);
        var r = document.RootElement;
        var symbols = string.Join(",", r.GetProperty("symbols").EnumerateArray().Select(s => s.GetString()));
        return $"{r.GetProperty("strategy").GetString()} {r.GetProperty("provider").GetString()}:{symbols}:{r.GetProperty("timeframe").GetString()} {r.GetProperty("from").GetString()?[..10]}→{r.GetProperty("to").GetString()?[..10]}";
    }
}
