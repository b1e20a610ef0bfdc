using System.Globalization;
using System.Text;
using Gapless.Core.Model;

namespace Gapless.FakeVendors.Alpaca;

/// <summary>One bar as the fake serves it. Written in Alpaca's exact wire form by <see cref="WriteTo"/>.</summary>
/// <param name="Stamp">Alpaca's <c>t</c>, epoch ms: the open for intraday bars, New York midnight of the first day for daily and longer.</param>
/// <param name="OpenTime">The Gapless open time: the same for intraday bars, 00:00 UTC of the period's first calendar day for daily and longer.</param>
internal sealed record FakeAlpacaBar(
    long Stamp,
    long OpenTime,
    decimal Open,
    decimal High,
    decimal Low,
    decimal Close,
    long Volume,
    long Trades,
    decimal Vwap)
{
    /// <summary>
    /// The Core bar a faithful client makes of this bar: the Gapless open time and every value exactly as written on
    /// the wire (<c>839</c>, not <c>839.00</c>).
    /// </summary>
    public Bar ToBar() => new(
        OpenTime,
        Wire(Open),
        Wire(High),
        Wire(Low),
        Wire(Close),
        decimal.Parse(Volume.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
        Trades: Trades,
        Vwap: Wire(Vwap));

    /// <summary>
    /// <c>{"t":"2022-03-09T05:00:00Z","o":161.51,"h":163.41,"l":159.41,"c":162.95,"v":88496480,"n":700291,"vw":161.942117}</c>:
    /// fields in Alpaca's order, numbers as Go writes a float64 (shortest form, no trailing zeros).
    /// </summary>
    public void WriteTo(StringBuilder json)
    {
        var c = CultureInfo.InvariantCulture;
        json.Append("{\"t\":\"").Append(Rfc3339(Stamp))
            .Append("\",\"o\":").Append(Number(Open))
            .Append(",\"h\":").Append(Number(High))
            .Append(",\"l\":").Append(Number(Low))
            .Append(",\"c\":").Append(Number(Close))
            .Append(",\"v\":").Append(Volume.ToString(c))
            .Append(",\"n\":").Append(Trades.ToString(c))
            .Append(",\"vw\":").Append(Number(Vwap))
            .Append('}');
    }

    public static string Rfc3339(long epochMs)
        => UtcTime.ToDateTimeOffset(epochMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Number(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);

    private static decimal Wire(decimal value) => decimal.Parse(Number(value), CultureInfo.InvariantCulture);
}
