using System.Globalization;
using System.Text;
using Gapless.Core.Model;
using Microsoft.AspNetCore.Http;

namespace Gapless.FakeVendors.Alpaca;

/// <summary>Request handling: routing, keys, rate limits, parameters checked like Alpaca's, faults, and the answer bodies.</summary>
public sealed partial class FakeAlpaca
{
    // Bodies as Alpaca sends them. The 403 for recent SIP data is recorded (kzhdev/alpaca_zorro_plugin issue #11), as
    // are "too many requests." (same issue) and the 500 (alpacahq/alpaca-py issue #183); "forbidden." is the body
    // users report for wrong keys (forum.alpaca.markets). Alpaca's FAQ says missing keys get 403 too; the fake answers
    // them 401, so clients are tested against both.
    private const string RecentSipBody = """{"message":"subscription does not permit querying recent SIP data"}""";
    private const string TooManyRequestsBody = """{"message":"too many requests."}""";
    private const string ServerErrorBody = """{"code":50010000,"message":"internal server error occurred"}""";
    private const string UnauthorizedBody = """{"message":"unauthorized."}""";
    private const string ForbiddenBody = """{"message":"forbidden."}""";

    private static readonly Dictionary<string, Timeframe> Timeframes = new(StringComparer.Ordinal)
    {
        ["1Min"] = Timeframe.M1, ["3Min"] = Timeframe.M3, ["5Min"] = Timeframe.M5, ["15Min"] = Timeframe.M15, ["30Min"] = Timeframe.M30,
        ["1Hour"] = Timeframe.H1, ["2Hour"] = Timeframe.H2, ["4Hour"] = Timeframe.H4, ["6Hour"] = Timeframe.H6, ["8Hour"] = Timeframe.H8,
        ["12Hour"] = Timeframe.H12, ["1Day"] = Timeframe.D1, ["1Week"] = Timeframe.W1, ["1Month"] = Timeframe.Month1,
    };

    private async Task HandleAsync(HttpContext context)
    {
        var now = _options.TimeProvider.GetUtcNow();
        var pathAndQuery = context.Request.Path.Value + context.Request.QueryString.Value;
        var path = context.Request.Path.Value ?? string.Empty;
        string? single = null;
        if (path != "/v2/stocks/bars")
        {
            var parts = path.Split('/');
            if (parts is not [_, "v2", "stocks", { Length: > 0 } symbol, "bars"])
            {
                Log(new(now, pathAndQuery, 404, 0, false, [], null, null, false, null));
                await WriteAsync(context, 404, "404 page not found"u8.ToArray(), [], "text/plain").ConfigureAwait(false);
                return;
            }

            single = Uri.UnescapeDataString(symbol);
        }

        var keyId = context.Request.Headers["APCA-API-KEY-ID"].ToString();
        var secret = context.Request.Headers["APCA-API-SECRET-KEY"].ToString();
        if (keyId.Length == 0 || secret.Length == 0 || keyId != _options.KeyId || secret != _options.SecretKey)
        {
            var missing = keyId.Length == 0 || secret.Length == 0;
            Log(new(now, pathAndQuery, missing ? 401 : 403, 0, false, [], null, null, false, null));
            await WriteAsync(context, missing ? 401 : 403, Encoding.UTF8.GetBytes(missing ? UnauthorizedBody : ForbiddenBody), []).ConfigureAwait(false);
            return;
        }

        var admission = _limits.Admit(now, Roll(_options.TooManyRequestsRate));
        if (admission.Status != 200)
        {
            Log(new(now, pathAndQuery, 429, 0, true, [], admission.PauseFrom, admission.PauseUntil, admission.InsidePause, admission.Fault));
            await WriteAsync(context, 429, Encoding.UTF8.GetBytes(TooManyRequestsBody), admission.Headers).ConfigureAwait(false);
            return;
        }

        var answer = Bars(context.Request.Query, single, now);
        string? fault = null;
        var body = answer.Body;
        var status = answer.Status;
        if (status == 200)
        {
            (status, body, fault) = await InjectAsync(body, context.RequestAborted).ConfigureAwait(false);
        }

        var served = status == 200 && fault is not "truncated" ? answer : answer with { Rows = 0, Symbols = [] };
        Log(new(now, pathAndQuery, status, served.Rows, true, served.Symbols, null, null, false, fault));
        if (fault == "aborted")
        {
            return;
        }

        await WriteAsync(context, status, body, admission.Headers).ConfigureAwait(false);
    }

    private async Task<(int Status, byte[] Body, string? Fault)> InjectAsync(byte[] body, CancellationToken aborted)
    {
        if (Roll(_options.ServerErrorRate))
        {
            return (500, Encoding.UTF8.GetBytes(ServerErrorBody), "5xx");
        }

        if (Roll(_options.TruncatedBodyRate))
        {
            return (200, body[..(body.Length / 2)], "truncated");
        }

        if (Roll(_options.SlowAnswerRate))
        {
            try
            {
                // Real time on purpose: the client's timeout is what is under test.
                await Task.Delay(_options.SlowDelay, aborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return (200, body, "aborted");
            }

            return (200, body, "slow");
        }

        return (200, body, null);
    }

    /// <param name="Symbols">The symbols with bars in the answer, in order.</param>
    private sealed record Answer(int Status, byte[] Body, int Rows, IReadOnlyList<string> Symbols);

    private Answer Bars(IQueryCollection query, string? single, DateTimeOffset now)
    {
        if (!Timeframes.TryGetValue(query["timeframe"].ToString(), out var tf))
        {
            return Invalid($"invalid timeframe: {query["timeframe"]}");
        }

        var startText = query["start"].ToString();
        var endText = query["end"].ToString();
        DateTimeOffset start, end;
        if (startText.Length == 0)
        {
            // Alpaca's default start: the beginning of the current day in New York.
            var today = NodaTime.Instant.FromDateTimeOffset(now).InZone(FakeAlpacaMarket.NewYork).Date;
            start = today.AtStartOfDayInZone(FakeAlpacaMarket.NewYork).ToDateTimeOffset();
        }
        else if (!TryParseTime(startText, out start))
        {
            return Invalid($"invalid start: {startText}");
        }

        if (endText.Length == 0)
        {
            end = now;
        }
        else if (!TryParseTime(endText, out end))
        {
            return Invalid($"invalid end: {endText}");
        }

        if (end < start)
        {
            return Invalid("end should not be before start");
        }

        var limitText = query["limit"].ToString();
        var limit = 1000;
        if (limitText.Length > 0 && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 10_000))
        {
            return Invalid($"invalid limit: {limitText} (must be between 1 and 10000)");
        }

        var feed = query["feed"].ToString() is { Length: > 0 } f ? f : "iex";
        if (feed is not ("iex" or "sip"))
        {
            return Invalid($"invalid feed: {feed}");
        }

        var adjustment = query["adjustment"].ToString();
        if (adjustment.Length > 0 && adjustment.Split(',').Any(a => a is not ("raw" or "split" or "dividend" or "all")))
        {
            return Invalid($"invalid adjustment: {adjustment}");
        }

        if (query["sort"].ToString() is { Length: > 0 } sort && sort != "asc")
        {
            return Invalid($"the fake serves sort=asc only, not {sort}");
        }

        List<string> symbols;
        if (single is not null)
        {
            if (!_market.Knows(single))
            {
                return Invalid($"invalid symbol: {single}");
            }

            symbols = [single];
        }
        else
        {
            var asked = query["symbols"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (asked.Length == 0)
            {
                return Invalid("missing symbols");
            }

            if (asked.FirstOrDefault(s => !FakeAlpacaMarket.IsWellFormed(s)) is { } bad)
            {
                return Invalid($"invalid symbol: {bad}");
            }

            // Unknown symbols are left out of the answer, as Alpaca does; the answer is ordered by symbol.
            symbols = [.. asked.Distinct(StringComparer.Ordinal).Where(_market.Knows).Order(StringComparer.Ordinal)];
        }

        if (feed == "sip" && !_options.RecentSipAllowed && end > now - _options.RecentSipWindow)
        {
            return new Answer(403, Encoding.UTF8.GetBytes(RecentSipBody), 0, []);
        }

        (string Symbol, long Stamp)? after = null;
        if (query["page_token"].ToString() is { Length: > 0 } token)
        {
            if (PageToken.Read(token) is not { } position || !symbols.Contains(position.Symbol))
            {
                return new Answer(400, Encoding.UTF8.GetBytes("""{"code":40010001,"message":"invalid page token"}"""), 0, []);
            }

            after = position;
        }

        return Page(symbols, single is not null, tf, start, end, Math.Min(limit, _options.MaxPageSize), after, now);
    }

    private Answer Page(
        List<string> symbols, bool isSingle, Timeframe tf, DateTimeOffset start, DateTimeOffset end, int limit, (string Symbol, long Stamp)? after, DateTimeOffset now)
    {
        var page = new List<(string Symbol, List<FakeAlpacaBar> Bars)>();
        var count = 0;
        (string Symbol, long Stamp)? last = null;
        foreach (var symbol in symbols)
        {
            if (after is { } a && string.CompareOrdinal(symbol, a.Symbol) < 0)
            {
                continue;
            }

            var from = after is { } b && b.Symbol == symbol ? b.Stamp + 1 : start.ToUnixTimeMilliseconds();
            List<FakeAlpacaBar> bars = [];
            foreach (var bar in _market.Served(symbol, tf, from, end.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds()))
            {
                if (count == limit)
                {
                    break;
                }

                bars.Add(bar);
                count++;
                last = (symbol, bar.Stamp);
            }

            if (bars.Count > 0)
            {
                page.Add((symbol, bars));
            }

            if (count == limit)
            {
                break;
            }
        }

        // Like Alpaca, a full page carries a token even when nothing follows; the next page is then empty.
        var next = count == limit && last is { } l ? PageToken.Write(l.Symbol, tf, l.Stamp) : null;
        var json = new StringBuilder(64 + (count * 120));
        if (isSingle)
        {
            json.Append("{\"bars\":");
            AppendBars(json, page.Count == 0 ? [] : page[0].Bars, emptyAsNull: _options.EmptyBarsAsNull);
            json.Append(",\"symbol\":\"").Append(symbols[0]).Append('"');
        }
        else
        {
            json.Append("{\"bars\":");
            if (page.Count == 0 && _options.EmptyBarsAsNull)
            {
                json.Append("null");
            }
            else
            {
                json.Append('{');
                for (var i = 0; i < page.Count; i++)
                {
                    json.Append(i > 0 ? ",\"" : "\"").Append(page[i].Symbol).Append("\":");
                    AppendBars(json, page[i].Bars, emptyAsNull: false);
                }

                json.Append('}');
            }
        }

        json.Append(",\"next_page_token\":").Append(next is null ? "null" : $"\"{next}\"").Append('}');
        return new Answer(200, Encoding.UTF8.GetBytes(json.ToString()), count, [.. page.Select(p => p.Symbol)]);
    }

    private static void AppendBars(StringBuilder json, List<FakeAlpacaBar> bars, bool emptyAsNull)
    {
        if (bars.Count == 0 && emptyAsNull)
        {
            json.Append("null");
            return;
        }

        json.Append('[');
        for (var i = 0; i < bars.Count; i++)
        {
            if (i > 0)
            {
                json.Append(',');
            }

            bars[i].WriteTo(json);
        }

        json.Append(']');
    }

    private static Answer Invalid(string message)
        => new(422, Encoding.UTF8.GetBytes($$"""{"code":42210000,"message":"{{message.Replace("\"", "'", StringComparison.Ordinal)}}"}"""), 0, []);

    /// <summary>RFC-3339 with an offset, or a bare date (midnight UTC).</summary>
    private static bool TryParseTime(string text, out DateTimeOffset time)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            time = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return true;
        }

        var hasOffset = text.EndsWith('Z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out time) && hasOffset;
    }

    /// <summary>
    /// Alpaca's opaque page token, reproduced: base64 of <c>SYMBOL|TIMEFRAME|last stamp with nanoseconds</c>
    /// (<c>QUFQTHxNfDIwMjItMDQtMTFUMDg6MDA6MDAuMDAwMDAwMDAwWg==</c> is <c>AAPL|M|2022-04-11T08:00:00.000000000Z</c>).
    /// </summary>
    private static class PageToken
    {
        public static string Write(string symbol, Timeframe tf, long stampMs)
        {
            var unit = tf.Code[^1] switch { 'm' => "M", 'h' => "H", 'd' => "D", 'w' => "W", _ => "MO" };
            var time = UtcTime.ToDateTimeOffset(stampMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'.000000000Z'", CultureInfo.InvariantCulture);
            return Convert.ToBase64String(Encoding.UTF8.GetBytes($"{symbol}|{unit}|{time}"));
        }

        public static (string Symbol, long Stamp)? Read(string token)
        {
            try
            {
                var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('|');
                return parts.Length == 3
                    && DateTimeOffset.TryParseExact(parts[2], "yyyy-MM-dd'T'HH:mm:ss'.000000000Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
                    ? (parts[0], time.ToUnixTimeMilliseconds())
                    : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}
