using System.Globalization;
using Gapless.Core.Model;
using Gapless.Core.Ports;

namespace Gapless.Cli.Output;

/// <summary>What the store holds, per series: covered ranges, bars, and holes inside coverage.</summary>
internal sealed record CoverageRow(SeriesSummary Summary, RangeSet Holes)
{
    public long ExpectedBars => Summary.Coverage.Sum(r => Summary.Series.Timeframe.CountBars(Summary.Series.Timeframe.AlignInward(r)));

    public long MissingBars => Holes.Sum(r => Summary.Series.Timeframe.CountBars(r));
}

internal static class CoverageOutput
{
    public static void Write(CliConsole console, IReadOnlyList<CoverageRow> rows, bool json)
    {
        if (json)
        {
            JsonOutput.Write(console.Out, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("series");
                foreach (var row in rows)
                {
                    var s = row.Summary;
                    w.WriteStartObject();
                    JsonOutput.WriteSeries(w, s.Series);
                    JsonOutput.WriteRanges(w, "covered", s.Coverage);
                    w.WriteNumber("bars", s.BarCount);
                    w.WriteNumber("expected_bars", row.ExpectedBars);
                    w.WriteNumber("missing_bars_in_coverage", row.MissingBars);
                    JsonOutput.WriteRanges(w, "holes", row.Holes);
                    w.WriteNumber("quarantined", s.QuarantinedCount);
                    w.WriteString("first_bar", s.FirstBarMs is { } f ? UtcTime.ToIso(f) : null);
                    w.WriteString("last_bar", s.LastBarMs is { } l ? UtcTime.ToIso(l) : null);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
            return;
        }

        if (rows.Count == 0)
        {
            console.Out.WriteLine("the store holds no series yet; try: gapless fetch --provider sim --symbol SIM-BTC --timeframe 1m --from 2024-01-01 --to 2024-01-07");
            return;
        }

        var table = new HumanTable("series", "covered (UTC)", "bars", "missing inside", "largest hole", "quarantined");
        foreach (var row in rows)
        {
            var s = row.Summary;
            var covered = string.Join(Environment.NewLine, s.Coverage.Take(5).Select(HumanTime.Range))
                + (s.Coverage.Count > 5 ? $"{Environment.NewLine}… {s.Coverage.Count - 5} more" : string.Empty);
            var missing = row.Holes.IsEmpty ? "none" : $"{N(row.MissingBars)} of {N(row.ExpectedBars)} in {row.Holes.Count} hole(s)";
            var largest = row.Holes.IsEmpty ? "" : HumanTime.Range(row.Holes.MaxBy(r => r.LengthMs));
            table.Add(s.Series.ToString(), covered, N(s.BarCount), missing, largest, N(s.QuarantinedCount));
        }

        table.Write(console);
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
