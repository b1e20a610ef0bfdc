using Gapless.Core.Model;

namespace Gapless.Core.Validation;

/// <summary>The bars of one vendor answer, split into those fit to serve and those quarantined with a reason.</summary>
public sealed record ValidationResult(IReadOnlyList<Bar> Good, IReadOnlyList<QuarantinedBar> Quarantined);

/// <summary>
/// Checks every bar of a vendor answer before it may be stored: open time on the timeframe's grid and inside the
/// chunk asked for, OHLC consistent (low ≤ open, close ≤ high; prices positive), volumes and trade counts ≥ 0,
/// and no two bars at one open time with different values. A bad bar is never repaired or shifted: it is
/// quarantined with the rule it broke. Pure and thread-safe.
/// </summary>
public static class BarValidator
{
    public static ValidationResult Check(IReadOnlyList<Bar> bars, Timeframe timeframe, TimeRange chunk)
    {
        ArgumentNullException.ThrowIfNull(bars);
        ArgumentNullException.ThrowIfNull(timeframe);

        var quarantined = new List<QuarantinedBar>();
        var candidates = new List<Bar>(bars.Count);
        foreach (var bar in bars)
        {
            var reason = FindFault(bar, timeframe, chunk);
            if (reason is null)
            {
                candidates.Add(bar);
            }
            else
            {
                quarantined.Add(new QuarantinedBar(bar, reason));
            }
        }

        candidates.Sort((a, b) => a.OpenTimeMs.CompareTo(b.OpenTimeMs));
        var good = new List<Bar>(candidates.Count);
        for (var i = 0; i < candidates.Count;)
        {
            var j = i + 1;
            var conflict = false;
            while (j < candidates.Count && candidates[j].OpenTimeMs == candidates[i].OpenTimeMs)
            {
                conflict |= candidates[j] != candidates[i];
                j++;
            }

            if (conflict)
            {
                // Which copy is right is unknowable; serving either would be a guess.
                for (var k = i; k < j; k++)
                {
                    quarantined.Add(new QuarantinedBar(candidates[k], $"duplicate open time {UtcTime.ToIso(candidates[k].OpenTimeMs)} with different values"));
                }
            }
            else
            {
                good.Add(candidates[i]);
            }

            i = j;
        }

        return new ValidationResult(good, quarantined);
    }

    private static string? FindFault(in Bar bar, Timeframe timeframe, TimeRange chunk)
    {
        if (!timeframe.IsAligned(bar.OpenTimeMs))
        {
            return $"open time {UtcTime.ToIso(bar.OpenTimeMs)} is not on the {timeframe.Code} grid";
        }

        if (!chunk.Contains(bar.OpenTimeMs))
        {
            return $"open time {UtcTime.ToIso(bar.OpenTimeMs)} is outside the requested chunk {chunk}";
        }

        if (bar.Open <= 0 || bar.High <= 0 || bar.Low <= 0 || bar.Close <= 0)
        {
            return "non-positive price";
        }

        if (bar.High < bar.Low)
        {
            return $"high ({bar.High}) is below low ({bar.Low})";
        }

        if (bar.Open > bar.High || bar.Close > bar.High)
        {
            return $"open ({bar.Open}) or close ({bar.Close}) is above high ({bar.High})";
        }

        if (bar.Open < bar.Low || bar.Close < bar.Low)
        {
            return $"open ({bar.Open}) or close ({bar.Close}) is below low ({bar.Low})";
        }

        if (bar.Volume < 0 || bar.QuoteVolume < 0)
        {
            return "negative volume";
        }

        if (bar.Trades < 0)
        {
            return "negative trade count";
        }

        return null;
    }
}
