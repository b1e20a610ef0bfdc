using System.Globalization;
using Gapless.Core.Model;
using Xunit;

namespace Gapless.Testing;

/// <summary>Exact comparison of bars: equal values, and (by default) the same text, so a vendor's trailing zeros are kept too.</summary>
public static class BarAssert
{
    /// <param name="expected">The bars that should be there.</param>
    /// <param name="actual">The bars read back.</param>
    /// <param name="sameText">
    /// Also compare each value's text (its scale). Meaningful when each field has one scale, as a vendor writes it:
    /// a column mixing scales comes back at its largest (equal values, more zeros).
    /// </param>
    public static void Equal(IReadOnlyList<Bar> expected, IReadOnlyList<Bar> actual, bool sameText = true)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], actual[i]);
            if (sameText)
            {
                Assert.Equal(Text(expected[i]), Text(actual[i]));
            }
        }
    }

    public static string Text(Bar bar) => string.Join(
        '|',
        new object?[] { bar.OpenTimeMs, bar.Open, bar.High, bar.Low, bar.Close, bar.Volume, bar.QuoteVolume, bar.Trades, bar.Vwap, bar.CutShortAtMs }
            .Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)));
}
