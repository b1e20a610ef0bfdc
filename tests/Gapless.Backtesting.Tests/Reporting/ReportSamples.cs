using Gapless.Backtesting.Reporting;

namespace Gapless.Backtesting.Tests.Reporting;

/// <summary>Reports to render in tests: a typical run, a hostile one, and long curves. Deterministic (seeded).</summary>
internal static class ReportSamples
{
    public static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public const string HostileSymbol = "<script>alert('x')</script>";
    public const string HostileParam = "\"><img src=x onerror=alert(1)>";

    /// <summary>
    /// A random walk of <paramref name="points"/> 1-minute steps from 10,000: about +45 % overall with a fall of about
    /// 25 % in the middle, and the same overall noise whatever the length.
    /// </summary>
    public static ReportEquity RandomWalk(int points, int seed = 7)
    {
        var random = new Random(seed);
        var times = new long[points];
        var values = new double[points];
        var equity = 10_000.0;
        var t0 = Start.ToUnixTimeMilliseconds();
        var fall = Math.Log(0.75) / Math.Max(1, points * 0.1);
        var rise = Math.Log(1.45 / 0.75) / Math.Max(1, points * 0.9);
        var noise = 0.12 * Math.Sqrt(12) / Math.Sqrt(points);
        for (var i = 0; i < points; i++)
        {
            times[i] = t0 + (i * 60_000L);
            var drift = i > points * 0.45 && i < points * 0.55 ? fall : rise;
            equity *= Math.Exp(drift + ((random.NextDouble() - 0.5) * noise));
            values[i] = equity;
        }

        return new ReportEquity(times, values);
    }

    public static BacktestReport Typical(int points = 30 * 24 * 60, int trades = 24)
    {
        var equity = RandomWalk(points);
        var end = Start.AddMinutes(points);
        return new BacktestReport(
            "sma-cross on BTCUSDT, ETHUSDT 1m",
            "bt_20240101_0001",
            "completed",
            new ReportRequest("binance", ["BTCUSDT", "ETHUSDT"], "1m", Start, end, "sma-cross",
                [new ReportParameter("fast", "20"), new ReportParameter("slow", "50")], 10_000, 10)
            {
                FeePerOrder = 1,
            },
            equity,
            Metrics(),
            Trades(trades),
            [
                new ReportSeriesData("binance", "BTCUSDT", "1m", Start.AddMinutes(-50), end, 99.5, points + 50, 12_345, 13, 0,
                    [new ReportGap(Start.AddDays(3).AddHours(10), Start.AddDays(3).AddHours(10).AddMinutes(45), 45)]),
                new ReportSeriesData("binance", "ETHUSDT", "1m", Start.AddMinutes(-50), end, 97.25, points + 50 - 120, 0, 0, 120, [])
                {
                    MissingRanges = [new ReportGap(Start.AddDays(10), Start.AddDays(10).AddHours(2), 120)],
                },
            ])
        {
            GeneratedAt = new DateTimeOffset(2024, 2, 1, 9, 30, 0, TimeSpan.Zero),
            Notes = ["Ran with --no-auto-fetch."],
        };
    }

    public static IReadOnlyList<ReportMetric> Metrics() =>
    [
        new("Total return", "+12.34 %", 0.1234),
        new("CAGR", "151.2 %", 1.512),
        new("Sharpe", "1.87", 1.87),
        new("Max drawdown", "\u22128.76 %", -0.0876),
        new("Sortino", "2.41", 2.41),
        new("Annualised volatility", "18.9 %", 0.189),
        new("Trades", "24", 24),
        new("Win rate", "58.3 %", 0.583),
        new("Profit factor", "1.72", 1.72),
        new("Exposure", "61.0 %", 0.61),
        new("Fees paid", "48.20", 48.2),
        new("Max drawdown dates", "2024-01-14 \u2192 2024-01-17", null),
    ];

    public static IReadOnlyList<ReportTrade> Trades(int count)
    {
        var trades = new List<ReportTrade>(count);
        for (var i = 0; i < count; i++)
        {
            var entry = Start.AddHours(i * 3);
            var entryPrice = 42_000.01 + (i * 10);
            var exitPrice = entryPrice + (i % 3 == 0 ? -150.5 : 210.25);
            var pnl = (exitPrice - entryPrice) * 0.05 - 4.2;
            trades.Add(new ReportTrade(i % 2 == 0 ? "BTCUSDT" : "ETHUSDT", i % 4 == 3 ? "short" : "long", 0.05, entry, entryPrice,
                entry.AddMinutes(95), exitPrice, 4.2, pnl, pnl / (entryPrice * 0.05)));
        }

        return trades;
    }

    /// <summary>A report whose user-given texts try to break out of the page.</summary>
    public static BacktestReport Hostile()
    {
        var report = Typical(points: 500, trades: 3);
        return report with
        {
            Title = "run for " + HostileSymbol + " & friends",
            RunId = "id\"'<>&\u0001",
            Request = report.Request with
            {
                Symbols = [HostileSymbol],
                Provider = "bin&ance",
                Parameters = [new ReportParameter("fast<", HostileParam)],
            },
            Trades = [report.Trades[0] with { Symbol = HostileSymbol, Side = "<b>long</b>" }],
            Metrics = [new ReportMetric("<i>Sharpe</i>", "<script>1</script>", 1)],
            Data = [report.Data[0] with { Symbol = HostileSymbol, Provider = "javascript:alert(1)" }],
            Error = "vendor said: <iframe src=\"//evil.example\"></iframe>",
            Notes = ["@import url(//evil.example/x.css);"],
        };
    }
}
