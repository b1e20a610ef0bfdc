using Gapless.Core.Model;

namespace Gapless.Core.Tests.Model;

/// <summary>
/// The reference model for <see cref="RangeSet"/>: a set of instants <c>Base + 0 .. Base + Universe - 1</c>
/// materialised as a bool per instant, so every set operation is an obvious loop.
/// </summary>
internal static class RangeSetModel
{
    /// <summary>Instants are offsets 0..Universe-1 from a base; ranges lie within [Base, Base + Universe].</summary>
    public const int Universe = 200;

    public static bool[] Mask(IEnumerable<TimeRange> ranges, long baseMs)
    {
        var mask = new bool[Universe];
        foreach (var r in ranges)
        {
            for (var t = r.FromMs; t < r.ToMs; t++)
            {
                mask[t - baseMs] = true;
            }
        }

        return mask;
    }

    public static bool[] Mask(RangeSet set, long baseMs) => Mask((IEnumerable<TimeRange>)set, baseMs);

    public static bool[] Zip(bool[] a, bool[] b, Func<bool, bool, bool> op)
    {
        var result = new bool[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            result[i] = op(a[i], b[i]);
        }

        return result;
    }

    /// <summary>The one canonical list of ranges for a mask: maximal runs of present instants, in order.</summary>
    public static TimeRange[] Runs(bool[] mask, long baseMs)
    {
        var runs = new List<TimeRange>();
        var i = 0;
        while (i < mask.Length)
        {
            if (!mask[i])
            {
                i++;
                continue;
            }

            var start = i;
            while (i < mask.Length && mask[i])
            {
                i++;
            }

            runs.Add(new TimeRange(baseMs + start, baseMs + i));
        }

        return [.. runs];
    }

    /// <summary>Asserts the set holds exactly the instants of <paramref name="expected"/>, in canonical form.</summary>
    public static void AssertHolds(bool[] expected, RangeSet actual, long baseMs)
    {
        AssertNormalized(actual);
        Assert.Equal(Runs(expected, baseMs), actual.ToArray());
    }

    /// <summary>Sorted, disjoint, no empty range, and no two ranges touching (adjacent ranges must have merged).</summary>
    public static void AssertNormalized(RangeSet set)
    {
        for (var i = 0; i < set.Count; i++)
        {
            Assert.False(set[i].IsEmpty, $"range {i} of {set} is empty");
            if (i > 0)
            {
                Assert.True(set[i - 1].ToMs < set[i].FromMs, $"ranges {i - 1} and {i} of {set} overlap or touch");
            }
        }
    }

    public static string Describe(IEnumerable<TimeRange> ranges, long baseMs)
        => "[" + string.Join(" ", ranges.Select(r => $"{r.FromMs - baseMs}..{r.ToMs - baseMs}")) + "]";
}
