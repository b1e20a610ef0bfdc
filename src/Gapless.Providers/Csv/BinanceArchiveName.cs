using System.Globalization;
using System.Text.RegularExpressions;
using Gapless.Core.Model;

namespace Gapless.Providers.Csv;

/// <summary>
/// What the name of a Binance kline archive says: <c>BTCUSDT-1m-2024-01-01.zip</c> (a daily archive: that whole UTC
/// day) or <c>BTCUSDT-1m-2024-01.csv</c> (a monthly one: that whole month), as data.binance.vision names them for spot
/// and futures. The interval is Binance's code (<c>1s</c>, <c>1m</c> … <c>1d</c>, <c>1w</c>, and <c>1mo</c> for a month).
/// </summary>
/// <param name="Symbol">The symbol, as Binance spells it.</param>
/// <param name="Interval">Binance's interval code, as written in the name.</param>
/// <param name="Timeframe">The Gapless timeframe of that interval; null when Gapless has none (<c>1s</c>).</param>
/// <param name="Span">The day or month the archive holds, UTC.</param>
internal sealed partial record BinanceArchiveName(string Symbol, string Interval, Timeframe? Timeframe, TimeRange Span)
{
    public static BinanceArchiveName? TryParse(string fileName)
    {
        var m = Pattern().Match(fileName);
        if (!m.Success)
        {
            return null;
        }

        var year = int.Parse(m.Groups["year"].ValueSpan, CultureInfo.InvariantCulture);
        var month = int.Parse(m.Groups["month"].ValueSpan, CultureInfo.InvariantCulture);
        if (month is < 1 or > 12)
        {
            return null;
        }

        DateTimeOffset from, to;
        if (m.Groups["day"].Success)
        {
            var day = int.Parse(m.Groups["day"].ValueSpan, CultureInfo.InvariantCulture);
            if (day < 1 || day > DateTime.DaysInMonth(year, month))
            {
                return null;
            }

            from = new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero);
            to = from.AddDays(1);
        }
        else
        {
            from = new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero);
            to = from.AddMonths(1);
        }

        var interval = m.Groups["interval"].Value;
        var timeframe = Core.Model.Timeframe.TryParse(interval == "1mo" ? "1M" : interval, out var known) ? known : null;
        return new BinanceArchiveName(m.Groups["symbol"].Value, interval, timeframe, TimeRange.Of(from, to));
    }

    [GeneratedRegex(@"^(?<symbol>[A-Za-z0-9_]+)-(?<interval>\d+(?:mo|[smhdwM]))-(?<year>\d{4})-(?<month>\d{2})(?:-(?<day>\d{2}))?\.(?:csv|zip)$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
