using Gapless.Core.Model;

namespace Gapless.Providers.Polygon;

/// <summary>
/// Gapless timeframes as Polygon's <c>{multiplier}/{timespan}</c>, and the base aggregates Polygon builds them from:
/// minute bars for minute and hour timespans, daily bars for day, week and month (Polygon's "Aggregate Data API
/// Improvements" note). The <c>limit</c> parameter counts base aggregates, not the bars returned.
/// </summary>
internal static class PolygonTimespan
{
    private const long MinuteMs = 60_000;
    private const long DayMs = 86_400_000;

    private static readonly Dictionary<Timeframe, (int Multiplier, string Timespan)> Spans = new()
    {
        [Timeframe.M1] = (1, "minute"),
        [Timeframe.M3] = (3, "minute"),
        [Timeframe.M5] = (5, "minute"),
        [Timeframe.M15] = (15, "minute"),
        [Timeframe.M30] = (30, "minute"),
        [Timeframe.H1] = (1, "hour"),
        [Timeframe.H2] = (2, "hour"),
        [Timeframe.H4] = (4, "hour"),
        [Timeframe.H6] = (6, "hour"),
        [Timeframe.H8] = (8, "hour"),
        [Timeframe.H12] = (12, "hour"),
        [Timeframe.D1] = (1, "day"),
        [Timeframe.W1] = (1, "week"),
        [Timeframe.Month1] = (1, "month"),
    };

    /// <summary>
    /// The timeframes served, shortest first: all of Gapless's but <c>3d</c>, whose epoch-aligned grid Polygon's
    /// day buckets (counted from the request's <c>from</c>) cannot be made to follow across requests.
    /// </summary>
    public static IReadOnlyList<Timeframe> Served { get; } = [.. Timeframe.All.Where(Spans.ContainsKey)];

    public static bool Serves(Timeframe timeframe) => Spans.ContainsKey(timeframe);

    /// <summary>Polygon's multiplier and timespan for <paramref name="timeframe"/>.</summary>
    /// <exception cref="ArgumentException">Polygon does not serve it.</exception>
    public static (int Multiplier, string Timespan) Of(Timeframe timeframe)
        => Spans.TryGetValue(timeframe, out var span)
            ? span
            : throw new ArgumentException($"polygon does not serve timeframe {timeframe}; use one of {string.Join(' ', Served)}", nameof(timeframe));

    /// <summary>True for day, week and month: aggregates built from daily base aggregates, stamped at New York midnight.</summary>
    public static bool IsDayBased(Timeframe timeframe)
        => timeframe == Timeframe.D1 || timeframe == Timeframe.W1 || timeframe == Timeframe.Month1;

    /// <summary>The length of one base aggregate: a minute, or a day.</summary>
    public static long BaseLengthMs(Timeframe timeframe) => IsDayBased(timeframe) ? DayMs : MinuteMs;
}
