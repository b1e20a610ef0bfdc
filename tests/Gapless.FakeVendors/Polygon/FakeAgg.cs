using System.Globalization;
using System.Text;
using Gapless.Core.Model;

namespace Gapless.FakeVendors.Polygon;

/// <summary>
/// One aggregate as the fake serves it, written in Polygon's wire form by <see cref="WriteTo"/>: field order
/// <c>v, vw, o, c, h, l, t, n</c>, prices as plain JSON numbers, and the volume as the double Polygon sends, in one of
/// the three shapes seen from it (<c>70254342</c>, <c>70254342.0</c>, <c>7.0254342e+07</c>), chosen per aggregate.
/// </summary>
/// <param name="T">The vendor's window start, epoch ms (New York midnight for day, week and month).</param>
/// <param name="VolumeStyle">0 plain, 1 with <c>.0</c>, 2 in exponent form.</param>
internal sealed record FakeAgg(long T, decimal O, decimal H, decimal L, decimal C, long Volume, decimal Vw, long Trades, int VolumeStyle)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The Core bar a faithful client makes of this aggregate, opening at <paramref name="openTimeMs"/>: every value exactly as on the wire.</summary>
    public Bar ToBar(long openTimeMs) => new(
        openTimeMs, Wire(Price(O)), Wire(Price(H)), Wire(Price(L)), Wire(Price(C)), Wire(VolumeText), Trades: Trades, Vwap: Wire(Price(Vw)));

    /// <summary><c>{"v":7.0254e+07,"vw":74.6099,"o":74.06,"c":75.0875,"h":75.15,"l":73.7975,"t":1577941200000,"n":1}</c>.</summary>
    public void WriteTo(StringBuilder json)
        => json.Append("{\"v\":").Append(VolumeText)
            .Append(",\"vw\":").Append(Price(Vw))
            .Append(",\"o\":").Append(Price(O))
            .Append(",\"c\":").Append(Price(C))
            .Append(",\"h\":").Append(Price(H))
            .Append(",\"l\":").Append(Price(L))
            .Append(",\"t\":").Append(T.ToString(Invariant))
            .Append(",\"n\":").Append(Trades.ToString(Invariant))
            .Append('}');

    public string VolumeText => VolumeStyle switch
    {
        1 => Volume.ToString(Invariant) + ".0",
        2 => Exponent(Volume),
        _ => Volume.ToString(Invariant),
    };

    private static string Price(decimal value) => value.ToString("0.####", Invariant);

    private static decimal Wire(string text) => decimal.Parse(text, NumberStyles.Float, Invariant);

    // 70254000 -> 7.0254e+07, 5 -> 5e+00: the exact value, as a double printer with shortest digits writes it.
    private static string Exponent(long value)
    {
        if (value == 0)
        {
            return "0e+00";
        }

        var digits = value.ToString(Invariant);
        var exponent = digits.Length - 1;
        var significant = digits.TrimEnd('0');
        var mantissa = significant.Length == 1 ? significant : $"{significant[0]}.{significant[1..]}";
        return $"{mantissa}e+{exponent.ToString("00", Invariant)}";
    }
}
