using System.Text;
using System.Text.Json;
using Gapless.Backtesting.Metrics;
using Gapless.Core.Model;
using Gapless.Core.Quality;

namespace Gapless.Backtesting.Runs;

/// <summary>
/// The JSON a run is recorded with, and what <c>gapless backtest --json</c> prints: snake_case keys, ISO-8601 UTC
/// times, numbers as numbers (null where a metric is undefined, e.g. Sharpe of a flat curve).
/// </summary>
public static class RunJson
{
    public static string Request(BacktestRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Write(w => WriteRequest(w, request));
    }

    /// <summary>The summary: metrics (when the run replayed) and the data section.</summary>
    public static string Summary(BacktestRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Write(w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("metrics");
            WriteMetrics(w, run.Result?.Metrics);
            w.WritePropertyName("data");
            WriteData(w, run);
            w.WriteEndObject();
        });
    }

    public static string Trades(BacktestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Write(w => WriteTrades(w, result));
    }

    /// <summary><c>{status, backtest_id, summary, trades, data, error}</c>: one document for scripts.</summary>
    public static string Document(BacktestRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("status", Status(run.Status));
            w.WriteString("backtest_id", run.Id);
            w.WritePropertyName("summary");
            WriteMetrics(w, run.Result?.Metrics);
            w.WritePropertyName("trades");
            if (run.Result is { } result)
            {
                WriteTrades(w, result);
            }
            else
            {
                w.WriteStartArray();
                w.WriteEndArray();
            }

            w.WritePropertyName("data");
            WriteData(w, run);
            w.WriteString("error", run.Error);
            w.WritePropertyName("request");
            WriteRequest(w, run.Request);
            w.WriteEndObject();
        }, indented: true);
    }

    /// <summary>The snake_case name of a status: <c>fetching_data</c>.</summary>
    public static string Status(Core.Ports.RunStatus status) => Core.Ports.RunRules.Name(status);

    private static void WriteRequest(Utf8JsonWriter w, BacktestRequest r)
    {
        w.WriteStartObject();
        w.WriteString("provider", r.Provider);
        w.WriteStartArray("symbols");
        foreach (var s in r.Symbols)
        {
            w.WriteStringValue(s);
        }

        w.WriteEndArray();
        w.WriteString("timeframe", r.Timeframe.Code);
        w.WriteString("from", UtcTime.ToIso(r.Range.FromMs));
        w.WriteString("to", UtcTime.ToIso(r.Range.ToMs));
        w.WriteString("strategy", r.Strategy);
        w.WriteStartObject("params");
        foreach (var (k, v) in r.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            w.WriteString(k, v);
        }

        w.WriteEndObject();
        w.WriteNumber("cash", r.Cash);
        w.WriteNumber("fee_bps", r.FeeBps);
        w.WriteNumber("fee_per_order", r.FeePerOrder);
        w.WriteNumber("slippage_bps", r.SlippageBps);
        w.WriteBoolean("auto_fetch", r.AutoFetch);
        w.WriteEndObject();
    }

    private static void WriteMetrics(Utf8JsonWriter w, BacktestMetrics? m)
    {
        if (m is null)
        {
            w.WriteNullValue();
            return;
        }

        w.WriteStartObject();
        w.WriteNumber("initial_equity", m.InitialEquity);
        w.WriteNumber("final_equity", m.FinalEquity);
        w.WriteNumber("total_return", m.TotalReturn);
        Number(w, "cagr", m.Cagr);
        Number(w, "annualized_volatility", m.AnnualizedVolatility);
        Number(w, "sharpe", m.Sharpe);
        Number(w, "sortino", m.Sortino);
        w.WriteNumber("max_drawdown", m.MaxDrawdown);
        Time(w, "max_drawdown_peak", m.MaxDrawdownPeakMs);
        Time(w, "max_drawdown_trough", m.MaxDrawdownTroughMs);
        Time(w, "max_drawdown_recovery", m.MaxDrawdownRecoveryMs);
        w.WriteNumber("trades", m.Trades);
        Number(w, "win_rate", m.WinRate);
        Number(w, "profit_factor", m.ProfitFactor);
        w.WriteNumber("exposure", m.Exposure);
        w.WriteNumber("total_fees", m.TotalFees);
        w.WriteEndObject();
    }

    private static void WriteTrades(Utf8JsonWriter w, BacktestResult result)
    {
        w.WriteStartArray();
        foreach (var t in result.Trades.Concat(result.OpenTrades))
        {
            w.WriteStartObject();
            w.WriteString("symbol", t.Symbol);
            w.WriteString("side", t.Side.ToString().ToLowerInvariant());
            w.WriteNumber("quantity", t.Quantity);
            w.WriteString("entry_time", UtcTime.ToIso(t.EntryTimeMs));
            w.WriteNumber("entry_price", t.EntryPrice);
            w.WriteString("exit_time", UtcTime.ToIso(t.ExitTimeMs));
            w.WriteNumber("exit_price", t.ExitPrice);
            w.WriteNumber("fees", t.Fees);
            w.WriteNumber("pnl", t.Pnl);
            Number(w, "return", double.IsFinite(t.Return) ? t.Return : null);
            w.WriteBoolean("open", t.IsOpen);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteData(Utf8JsonWriter w, BacktestRun run)
    {
        w.WriteStartObject();
        w.WriteNumber("bars_replayed", run.BarsReplayed);
        w.WriteNumber("vendor_requests", run.VendorRequests);
        w.WriteNumber("missing_bars", run.MissingBars);
        w.WriteStartArray("series");
        foreach (var d in run.Data)
        {
            w.WriteStartObject();
            w.WriteString("provider", d.Series.Provider);
            w.WriteString("symbol", d.Series.Symbol);
            w.WriteString("timeframe", d.Series.Timeframe.Code);
            w.WriteString("from", UtcTime.ToIso(d.Needed.FromMs));
            w.WriteString("to", UtcTime.ToIso(d.Needed.ToMs));
            w.WriteNumber("vendor_requests", d.VendorRequests);
            w.WriteNumber("bars_fetched", d.BarsFetched);
            if (d.Quality is { } q)
            {
                w.WriteNumber("bars_held", q.BarsHeld);
                w.WriteNumber("bars_expected", q.BarsExpected);
                w.WriteNumber("missing_bars", q.EstimatedMissingBars);
                w.WriteNumber("not_fetched_bars", q.NotFetchedBars);
                w.WriteNumber("vendor_hole_bars", q.VendorHoleBars);
                w.WriteNumber("coverage_pct", q.CoveragePercent);
                w.WriteStartArray("vendor_holes");
                foreach (var gap in q.LargestGaps.Where(g => g.Kind == GapKind.VendorHole))
                {
                    w.WriteStartObject();
                    w.WriteString("from", UtcTime.ToIso(gap.Range.FromMs));
                    w.WriteString("to", UtcTime.ToIso(gap.Range.ToMs));
                    w.WriteNumber("bars", gap.Bars);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void Time(Utf8JsonWriter w, string name, long? ms)
    {
        if (ms is { } v)
        {
            w.WriteString(name, UtcTime.ToIso(v));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static string Write(Action<Utf8JsonWriter> body, bool indented = false)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            body(writer);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
