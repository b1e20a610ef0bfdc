using System.Globalization;

namespace Gapless.FakeVendors.Eodhd;

/// <summary>One request the fake received, as its log records it.</summary>
/// <param name="At">Arrival, by the fake's clock.</param>
/// <param name="PathAndQuery">As sent (token included: the fake's own log).</param>
/// <param name="Status">HTTP status answered.</param>
/// <param name="Rows">Bar rows in the answer.</param>
/// <param name="Calls">API calls charged to the daily allowance (0 when not charged).</param>
/// <param name="Fault">
/// Why the answer was not plain data, if it was not: <c>5xx</c>, <c>429</c>, <c>minute</c> (minute limit exceeded),
/// <c>allowance</c> (402), <c>slow</c>, <c>truncated</c>, <c>span</c> (period too long), <c>token</c>, <c>plan</c>,
/// <c>symbol</c>.
/// </param>
public sealed record FakeEodhdRequest(DateTimeOffset At, string PathAndQuery, int Status, int Rows, int Calls, string? Fault)
{
    /// <summary>The path alone: <c>/api/intraday/AAPL.US</c>.</summary>
    public string Path => PathAndQuery.Split('?')[0];

    public bool IsIntraday => Path.StartsWith("/api/intraday/", StringComparison.Ordinal);

    /// <summary>The value of query parameter <paramref name="name"/>, unescaped, or null.</summary>
    public string? Query(string name)
    {
        var q = PathAndQuery.IndexOf('?', StringComparison.Ordinal);
        if (q < 0)
        {
            return null;
        }

        foreach (var part in PathAndQuery[(q + 1)..].Split('&'))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && Uri.UnescapeDataString(part[..eq]) == name)
            {
                return Uri.UnescapeDataString(part[(eq + 1)..]);
            }
        }

        return null;
    }

    /// <summary><c>from</c> as sent, Unix seconds.</summary>
    public long? From => Seconds("from");

    /// <summary><c>to</c> as sent, Unix seconds.</summary>
    public long? To => Seconds("to");

    private long? Seconds(string name)
        => long.TryParse(Query(name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s) ? s : null;
}
