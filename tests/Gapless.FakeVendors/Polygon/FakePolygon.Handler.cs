using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Gapless.FakeVendors.Polygon;

/// <summary>Request handling: routing, the key, the rate limit, faults, validation like Polygon's, and the answer bodies.</summary>
public sealed partial class FakePolygon
{
    private const string AggsPrefix = "/v2/aggs/ticker/";
    private const int MaxLimit = 50_000;
    private const int DefaultLimit = 5_000;

    private async Task HandleAsync(HttpContext context)
    {
        var now = _options.TimeProvider.GetUtcNow();
        var raw = context.Request.Path.Value + context.Request.QueryString.Value;
        var (keyFrom, keyValid) = Key(context.Request);
        var entry = new FakePolygonRequest(now, raw, keyFrom, keyValid, 200, 0, 0, false, null, null);
        var path = context.Request.Path.Value ?? string.Empty;
        if (!path.StartsWith(AggsPrefix, StringComparison.Ordinal))
        {
            await AnswerAsync(context, entry with { Status = 404 }, ErrorBody("NOT_FOUND", "message", "Not Found")).ConfigureAwait(false);
            return;
        }

        if (!keyValid)
        {
            var text = keyFrom is null ? "API Key was not provided" : "Unknown API Key";
            await AnswerAsync(context, entry with { Status = 401 }, ErrorBody("ERROR", "error", text)).ConfigureAwait(false);
            return;
        }

        var number = Interlocked.Increment(ref _aggsRequests);
        if (Fault(now, number) is { } fault)
        {
            var (status, body) = fault switch
            {
                "503" => (503, ErrorBody("ERROR", "error", "Service Unavailable")),
                "5xx" => ServerError(),
                _ => (429, ErrorBody("ERROR", "error", TooManyRequestsText)),
            };
            await AnswerAsync(context, entry with { Status = status, Fault = fault == "503" ? "5xx" : fault }, body).ConfigureAwait(false);
            return;
        }

        var answer = Aggregates(path[AggsPrefix.Length..], context.Request.Query, now);
        entry = entry with { Status = answer.Status, Rows = answer.Rows, BaseAggregates = answer.Base, LimitReached = answer.LimitReached, NextUrl = answer.NextUrl };
        var bytes = answer.Body;
        if (answer.Status == 200)
        {
            if (Roll(_options.TruncatedBodyRate))
            {
                bytes = bytes[..(bytes.Length / 2)];
                entry = entry with { Fault = "truncated" };
            }
            else if (Roll(_options.SlowAnswerRate))
            {
                entry = entry with { Fault = "slow" };
                try
                {
                    // Real time on purpose: the client's timeout is what is under test.
                    await Task.Delay(_options.SlowDelay, context.RequestAborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    Log(entry);
                    return;
                }
            }
        }

        await AnswerAsync(context, entry, bytes).ConfigureAwait(false);
    }

    private const string TooManyRequestsText =
        "You've exceeded the maximum requests per minute, please wait or upgrade your subscription to continue. https://polygon.io/pricing";

    private async Task AnswerAsync(HttpContext context, FakePolygonRequest entry, string body)
        => await AnswerAsync(context, entry, Encoding.UTF8.GetBytes(body)).ConfigureAwait(false);

    private async Task AnswerAsync(HttpContext context, FakePolygonRequest entry, byte[] body)
    {
        Log(entry);
        await WriteAsync(context, entry.Status, body).ConfigureAwait(false);
    }

    /// <summary>The fault this request meets before any data is read, if any: the rate limit, then scripted and random faults.</summary>
    private string? Fault(DateTimeOffset now, int number)
    {
        lock (_gate)
        {
            if (_options.RequestsPerMinute is { } limit)
            {
                while (_admitted.Count > 0 && _admitted.Peek() <= now - TimeSpan.FromMinutes(1))
                {
                    _admitted.Dequeue();
                }

                if (_admitted.Count >= limit)
                {
                    return "rate";
                }
            }

            var fault = _options.TooManyRequestsOn.Contains(number) ? "429"
                : _options.ServerErrorOn.Contains(number) ? "503"
                : _options.ServerErrorRate > 0 && _dice.NextDouble() < _options.ServerErrorRate ? "5xx"
                : _options.TooManyRequestsRate > 0 && _dice.NextDouble() < _options.TooManyRequestsRate ? "429"
                : null;
            if (fault is null && _options.RequestsPerMinute is not null)
            {
                _admitted.Enqueue(now);
            }

            return fault;
        }
    }

    private (int Status, string Body) ServerError()
        => Roll(0.5)
            ? (502, "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n")
            : (500, ErrorBody("ERROR", "error", "Internal server error"));

    private (string? From, bool Valid) Key(HttpRequest request)
    {
        string? key = null;
        string? from = null;
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            (key, from) = (header["Bearer ".Length..].Trim(), "header");
        }
        else if (request.Query.TryGetValue("apiKey", out var value))
        {
            (key, from) = (value.ToString(), "query");
        }

        return (from, key is not null && key == _options.ApiKey);
    }

    private string ErrorBody(string status, string field, string text)
        => $$"""{"status":"{{status}}","request_id":"{{NextRequestId()}}","{{field}}":"{{text}}"}""";

    private sealed record AggsAnswer(int Status, byte[] Body, int Rows = 0, int Base = 0, bool LimitReached = false, string? NextUrl = null);

    private static AggsAnswer Refuse(int status, string body) => new(status, Encoding.UTF8.GetBytes(body));

    private AggsAnswer Aggregates(string route, IQueryCollection query, DateTimeOffset now)
    {
        // {ticker}/range/{multiplier}/{timespan}/{from}/{to}
        var parts = route.Split('/');
        if (parts.Length != 6 || parts[1] != "range")
        {
            return Refuse(404, ErrorBody("NOT_FOUND", "message", "Not Found"));
        }

        var (ticker, timespan, fromText, toText) = (Uri.UnescapeDataString(parts[0]), parts[3], parts[4], parts[5]);
        if (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var multiplier) || multiplier < 1)
        {
            return Refuse(400, ErrorBody("ERROR", "error", $"Invalid multiplier: '{parts[2]}'"));
        }

        if (!FakePolygonMarket.IsKnownTimespan(timespan))
        {
            return Refuse(400, ErrorBody("ERROR", "error", $"Invalid timespan: '{timespan}'"));
        }

        var (adjusted, sort, limitText) = Settings(query);
        if (ParseInstant(fromText, endOfDay: false) is not { } from || ParseInstant(toText, endOfDay: true) is not { } to)
        {
            return Refuse(400, ErrorBody("ERROR", "error", "Could not parse the time parameter: 'from' or 'to'. Use YYYY-MM-DD or Unix MS Timestamps"));
        }

        if (!int.TryParse(limitText ?? DefaultLimit.ToString(CultureInfo.InvariantCulture), NumberStyles.None, CultureInfo.InvariantCulture, out var limit)
            || limit is < 1 or > MaxLimit)
        {
            return Refuse(400, ErrorBody("ERROR", "error", $"Invalid limit: '{limitText}'. Max 50000"));
        }

        if (_options.NotAuthorized.Any(r => r.Matches(ticker, timespan)))
        {
            return Refuse(403, ErrorBody("NOT_AUTHORIZED", "message", "You are not entitled to this data. Please upgrade your plan at https://polygon.io/pricing"));
        }

        if ((_options.OldestAllowed is { } oldest && from < oldest.ToUnixTimeMilliseconds()) || to > now.ToUnixTimeMilliseconds() + 86_400_000)
        {
            // As Polygon answers for history the plan lacks, and for dates after today (polygon-io/issues #313).
            return Refuse(403, ErrorBody("NOT_AUTHORIZED", "message", "Your plan doesn't include this data timeframe. Please upgrade your plan at https://polygon.io/pricing"));
        }

        var results = new List<FakeAgg>();
        var used = 0;
        var limitReached = false;
        long? next = null;
        if (_market.Knows(ticker))
        {
            foreach (var (agg, count) in _market.Buckets(ticker, multiplier, timespan, from, to, VisibleUntil()))
            {
                if (results.Count == _options.PageSize || (results.Count > 0 && used + count > limit))
                {
                    limitReached = results.Count < _options.PageSize;
                    next = agg.T;
                    break;
                }

                results.Add(agg);
                used += count;
            }
        }

        if (sort == "desc")
        {
            results.Reverse();
        }

        var nextUrl = next is { } n ? NextUrl(parts, n, toText, adjusted, limit, sort) : null;
        var body = Body(ticker, used, results, adjusted, nextUrl);
        return new AggsAnswer(200, Encoding.UTF8.GetBytes(body), results.Count, used, limitReached, nextUrl);
    }

    /// <summary>The answer in Polygon's field order; an empty one has no <c>results</c> and no <c>count</c>.</summary>
    private string Body(string ticker, int used, List<FakeAgg> results, bool adjusted, string? nextUrl)
    {
        var c = CultureInfo.InvariantCulture;
        var json = new StringBuilder(128 + (results.Count * 110));
        json.Append("{\"ticker\":\"").Append(ticker)
            .Append("\",\"queryCount\":").Append(used.ToString(c))
            .Append(",\"resultsCount\":").Append(results.Count.ToString(c))
            .Append(",\"adjusted\":").Append(adjusted ? "true" : "false");
        if (results.Count > 0)
        {
            json.Append(",\"results\":[");
            for (var i = 0; i < results.Count; i++)
            {
                if (i > 0)
                {
                    json.Append(',');
                }

                results[i].WriteTo(json);
            }

            json.Append(']');
        }

        json.Append(",\"status\":\"").Append(_options.DataDelay > TimeSpan.Zero ? "DELAYED" : "OK")
            .Append("\",\"request_id\":\"").Append(NextRequestId()).Append('"');
        if (results.Count > 0)
        {
            json.Append(",\"count\":").Append(results.Count.ToString(c));
        }

        if (nextUrl is not null)
        {
            json.Append(",\"next_url\":\"").Append(nextUrl).Append('"');
        }

        return json.Append('}').ToString();
    }

    /// <summary>
    /// <c>https://api.polygon.io/v2/aggs/ticker/AAPL/range/1/day/1578114000000/2020-01-10?cursor=…</c>: <c>from</c>
    /// moved to the next window, <c>to</c> as first sent, the settings in an opaque cursor, and no key.
    /// </summary>
    private string NextUrl(string[] parts, long nextFrom, string toText, bool adjusted, int limit, string sort)
    {
        var host = (_options.NextUrlBase ?? BaseUrl).GetLeftPart(UriPartial.Authority);
        var cursor = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"adjusted={(adjusted ? "true" : "false")}&limit={limit}&sort={sort}")));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{host}{AggsPrefix}{parts[0]}/range/{parts[2]}/{parts[3]}/{nextFrom}/{toText}?cursor={Uri.EscapeDataString(cursor)}");
    }

    /// <summary>adjusted, sort and limit: from the cursor of a next_url page, else from the query.</summary>
    private static (bool Adjusted, string Sort, string? Limit) Settings(IQueryCollection query)
    {
        var values = query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        if (values.TryGetValue("cursor", out var cursor))
        {
            try
            {
                foreach (var pair in Encoding.UTF8.GetString(Convert.FromBase64String(cursor)).Split('&'))
                {
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    if (eq > 0)
                    {
                        values[pair[..eq]] = pair[(eq + 1)..];
                    }
                }
            }
            catch (FormatException)
            {
                // A cursor Polygon did not write: its settings are ignored.
            }
        }

        var adjusted = !values.TryGetValue("adjusted", out var a) || !a.Equals("false", StringComparison.OrdinalIgnoreCase);
        var sort = values.TryGetValue("sort", out var s) && s == "desc" ? "desc" : "asc";
        return (adjusted, sort, values.GetValueOrDefault("limit"));
    }

    /// <summary>A millisecond timestamp, or a date (New York midnight; with <paramref name="endOfDay"/>, its last millisecond).</summary>
    private static long? ParseInstant(string text, bool endOfDay)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            return ms;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var day = new NodaTime.LocalDate(date.Year, date.Month, date.Day);
            return endOfDay ? FakePolygonMarket.MidnightOf(day.PlusDays(1)) - 1 : FakePolygonMarket.MidnightOf(day);
        }

        return null;
    }
}
