using System.Collections.Frozen;
using System.Globalization;
using Gapless.Core.Model;
using NodaTime;

namespace Gapless.Providers.Alpaca;

/// <summary>
/// Alpaca's vocabulary and time conventions: timeframe codes, feed and adjustment names, and where a Gapless bar's
/// open time lies on Alpaca's clock. Intraday bars are stamped with their UTC open, on the same grid as Gapless
/// (hours, and 2/4/6/8/12-hour bars, start at multiples of their length from 00:00 UTC). Daily, weekly and monthly
/// bars are stamped at New York midnight of their first day (04:00Z or 05:00Z); Gapless stamps them at 00:00 UTC of
/// that date, so the two clocks differ by the New York offset of that date.
/// </summary>
internal static class AlpacaWire
{
    /// <summary>The market's time zone; its tzdb rules give New York midnight, DST included.</summary>
    public static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    private static readonly FrozenDictionary<Timeframe, string> Codes = new Dictionary<Timeframe, string>
    {
        [Timeframe.M1] = "1Min",
        [Timeframe.M3] = "3Min",
        [Timeframe.M5] = "5Min",
        [Timeframe.M15] = "15Min",
        [Timeframe.M30] = "30Min",
        [Timeframe.H1] = "1Hour",
        [Timeframe.H2] = "2Hour",
        [Timeframe.H4] = "4Hour",
        [Timeframe.H6] = "6Hour",
        [Timeframe.H8] = "8Hour",
        [Timeframe.H12] = "12Hour",
        [Timeframe.D1] = "1Day",
        [Timeframe.W1] = "1Week",
        [Timeframe.Month1] = "1Month",
    }.ToFrozenDictionary();

    /// <summary>The Gapless timeframes Alpaca serves, shortest first (not 3d: Alpaca has no multi-day bars but weeks and months).</summary>
    public static IReadOnlyList<Timeframe> Timeframes { get; } = [.. Timeframe.All.Where(Codes.ContainsKey)];

    /// <summary>Alpaca's code for <paramref name="timeframe"/> (<c>1Min</c>, <c>1Hour</c>, <c>1Day</c>), or null when unsupported.</summary>
    public static string? Code(Timeframe timeframe) => Codes.GetValueOrDefault(timeframe);

    /// <summary>True for daily, weekly and monthly bars, which Alpaca stamps at New York midnight.</summary>
    public static bool IsStampedAtNewYorkMidnight(Timeframe timeframe) => timeframe.NominalLengthMs >= 86_400_000;

    public static string Feed(AlpacaFeed feed) => feed == AlpacaFeed.Sip ? "sip" : "iex";

    public static string Adjustment(AlpacaAdjustment adjustment) => adjustment switch
    {
        AlpacaAdjustment.Split => "split",
        AlpacaAdjustment.Dividend => "dividend",
        AlpacaAdjustment.All => "all",
        _ => "raw",
    };

    public static bool TryParseFeed(string text, out AlpacaFeed feed)
    {
        switch (text.Trim().ToUpperInvariant())
        {
            case "IEX":
                feed = AlpacaFeed.Iex;
                return true;
            case "SIP":
                feed = AlpacaFeed.Sip;
                return true;
            default:
                feed = default;
                return false;
        }
    }

    /// <summary>
    /// Alpaca's <c>start</c> and (inclusive) <c>end</c> asking for exactly the bars whose Gapless open time lies in
    /// <paramref name="chunk"/>. Intraday: <c>[from, to − 1 s]</c> (Alpaca's <c>end</c> is inclusive and takes whole
    /// seconds; bars open on whole minutes, so none opens in the last second). Daily and longer: New York midnight of
    /// the chunk's first UTC date through New York midnight of its last one, so a weekly or monthly bar stamped on the
    /// first trading day of its period (not its first calendar day) is still asked for, and the end never lies after
    /// the chunk's end (with <c>feed=sip</c>, an end in the last 15 minutes is refused).
    /// </summary>
    public static (DateTimeOffset Start, DateTimeOffset EndInclusive) Window(Timeframe timeframe, TimeRange chunk)
    {
        var from = timeframe.Ceiling(chunk.FromMs);
        var to = timeframe.Ceiling(chunk.ToMs);
        if (!IsStampedAtNewYorkMidnight(timeframe))
        {
            return (UtcTime.ToDateTimeOffset(from), UtcTime.ToDateTimeOffset(to - 1000));
        }

        var firstDate = UtcDate(from);
        var lastDate = UtcDate(to - 1);
        return (NewYorkMidnight(firstDate), NewYorkMidnight(lastDate));
    }

    /// <summary><c>2024-01-02T14:30:00Z</c>: RFC-3339 in UTC, whole seconds (Alpaca refuses fractions on some endpoints).</summary>
    public static string Rfc3339(DateTimeOffset instant)
        => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// The Gapless open time of a bar Alpaca stamped at <paramref name="stampMs"/>. Intraday: unchanged. Daily and
    /// longer, stamped at New York midnight: 00:00 UTC of that New York date, floored to the week (Monday) or the month
    /// for weekly and monthly bars, which Alpaca may stamp on the first trading day of the period. A daily-or-longer bar
    /// not stamped at New York midnight is left unchanged: guessing its date would invent data, and the validator
    /// quarantines it as misaligned.
    /// </summary>
    public static long ToGaplessOpenTime(long stampMs, Timeframe timeframe)
    {
        if (!IsStampedAtNewYorkMidnight(timeframe))
        {
            return stampMs;
        }

        var local = Instant.FromUnixTimeMilliseconds(stampMs).InZone(NewYork).LocalDateTime;
        if (local.TimeOfDay != LocalTime.Midnight)
        {
            return stampMs;
        }

        var date = local.Date;
        var utcMidnight = new DateTimeOffset(date.Year, date.Month, date.Day, 0, 0, 0, TimeSpan.Zero);
        return timeframe.Floor(UtcTime.ToEpochMs(utcMidnight));
    }

    private static LocalDate UtcDate(long epochMs) => Instant.FromUnixTimeMilliseconds(epochMs).InUtc().Date;

    private static DateTimeOffset NewYorkMidnight(LocalDate date) => date.AtStartOfDayInZone(NewYork).ToDateTimeOffset().ToUniversalTime();
}
