using System.Globalization;
using System.Text;
using Gapless.Core.Model;

namespace Gapless.FakeVendors.Binance;

/// <summary>One kline as the fake serves it. Written in Binance's exact wire form by <see cref="WriteTo"/>.</summary>
internal sealed record FakeKline(
    long OpenTime,
    decimal Open,
    decimal High,
    decimal Low,
    decimal Close,
    decimal Volume,
    long CloseTime,
    decimal QuoteVolume,
    long Trades,
    decimal TakerBuyBase,
    decimal TakerBuyQuote,
    bool CutShort)
{
    /// <summary>The Core bar a faithful client makes of this kline: values exactly as on the wire (8 decimals).</summary>
    public Bar ToBar() => new(
        OpenTime, Wire(Open), Wire(High), Wire(Low), Wire(Close), Wire(Volume), Wire(QuoteVolume), Trades, CutShortAtMs: CutShort ? CloseTime : null);

    private static decimal Wire(decimal value)
        => decimal.Parse(value.ToString("F8", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>
    /// <c>[1582111800000,"10133.12000000",…,1582112099999,"399065.78619103",469,"32.19530400","326615.25127923","0"]</c>:
    /// times and trades as numbers, every price and volume as a string with 8 decimals.
    /// </summary>
    public void WriteTo(StringBuilder json)
    {
        var c = CultureInfo.InvariantCulture;
        json.Append('[').Append(OpenTime.ToString(c))
            .Append(",\"").Append(Open.ToString("F8", c))
            .Append("\",\"").Append(High.ToString("F8", c))
            .Append("\",\"").Append(Low.ToString("F8", c))
            .Append("\",\"").Append(Close.ToString("F8", c))
            .Append("\",\"").Append(Volume.ToString("F8", c))
            .Append("\",").Append(CloseTime.ToString(c))
            .Append(",\"").Append(QuoteVolume.ToString("F8", c))
            .Append("\",").Append(Trades.ToString(c))
            .Append(",\"").Append(TakerBuyBase.ToString("F8", c))
            .Append("\",\"").Append(TakerBuyQuote.ToString("F8", c))
            .Append("\",\"0\"]");
    }
}
