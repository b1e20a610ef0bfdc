using System.Globalization;
using System.Text;
using Gapless.Core.Model;
using Microsoft.AspNetCore.Http;

namespace Gapless.FakeVendors.Eodhd;

/// <summary>Request handling: routing, checks in EODHD's order, faults, and the answer bodies.</summary>
public sealed partial class FakeEodhd
{
    private const string Prefix = "/api/intraday/";
    private const string Json = "application/json";
    private const string Text = "text/html; charset=UTF-8";

    // EODHD's answers, as clients have recorded them: plain text for refusals, Laravel-style JSON for bad parameters.
    private const string Unauthenticated = "Unauthenticated";
    private const string Forbidden = "Forbidden. Please contact support@eodhistoricaldata.com";
    private const string TickerNotFound = "Ticker Not Found.";
    private const string AllowanceExceeded = "You exceeded your daily API requests limit. Please contact support@eodhistoricaldata.com";
    private const string TooManyRequests = "Too Many Requests";
    private const string BadGateway = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";

    private async Task HandleAsync(HttpContext context)
    {
        var now = _options.TimeProvider.GetUtcNow();
        var pathAndQuery = context.Request.Path.Value + context.Request.QueryString.Value;
        var path = context.Request.Path.Value ?? string.Empty;
        var answer = path.StartsWith(Prefix, StringComparison.Ordinal)
            ? Admit(context.Request.Query, now)
            : new Answer(404, "Not Found", Text, 0, "path");
        if (answer.Status == 200)
        {
            var charged = Intraday(Uri.UnescapeDataString(path[Prefix.Length..]), context.Request.Query, now) with { Headers = answer.Headers };
            answer = await InjectAsync(charged, context.RequestAborted).ConfigureAwait(false);
        }

        Log(new(now, pathAndQuery, answer.Status, answer.Rows, answer.Calls, answer.Fault));
        if (answer.Fault == "aborted")
        {
            return;
        }

        var response = context.Response;
        response.StatusCode = answer.Status;
        response.ContentType = answer.ContentType;
        response.ContentLength = answer.Body.Length;
        foreach (var (name, value) in answer.Headers ?? [])
        {
            response.Headers[name] = value;
        }

        await response.Body.WriteAsync(answer.Body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Token, plan, minute limit, injected refusals, daily allowance: a 200 here means "charged, go on".</summary>
    private Answer Admit(IQueryCollection query, DateTimeOffset now)
    {
        if (query["api_token"].ToString() != _options.ApiToken)
        {
            return new Answer(401, Unauthenticated, Text, 0, "token");
        }

        if (_options.PlanWithoutIntraday)
        {
            return new Answer(403, Forbidden, Text, 0, "plan");
        }

        var c = CultureInfo.InvariantCulture;
        lock (_gate)
        {
            var nowMs = now.ToUnixTimeMilliseconds();
            var minute = nowMs - (nowMs % 60_000);
            if (minute != _minuteStart)
            {
                _minuteStart = minute;
                _minuteRequests = 0;
            }

            _minuteRequests++;
            var remaining = Math.Max(0, _options.MinuteRequestLimit - _minuteRequests);
            List<KeyValuePair<string, string>> headers =
            [
                new("X-RateLimit-Limit", _options.MinuteRequestLimit.ToString(c)),
                new("X-RateLimit-Remaining", remaining.ToString(c)),
            ];
            if (_minuteRequests > _options.MinuteRequestLimit)
            {
                var seconds = Math.Max(1, (int)Math.Ceiling((minute + 60_000 - nowMs) / 1000.0));
                return new Answer(429, TooManyRequests, Text, 0, "minute", [.. headers, new("Retry-After", seconds.ToString(c))]);
            }

            if (RollLocked(_options.TooManyRequestsRate))
            {
                return new Answer(429, TooManyRequests, Text, 0, "429", [.. headers, new("Retry-After", _options.InjectedRetryAfterSeconds.ToString(c))]);
            }

            if (RollLocked(_options.ServerErrorRate))
            {
                return new Answer(502, BadGateway, Text, 0, "5xx");
            }

            RollDay(now);
            if (_callsUsed + _options.CallsPerRequest > _options.DailyAllowance)
            {
                return new Answer(402, AllowanceExceeded, Text, 0, "allowance", headers);
            }

            _callsUsed += _options.CallsPerRequest;
            return new Answer(200, string.Empty, Json, _options.CallsPerRequest, null, headers);
        }
    }

    /// <summary>The charged request's answer: unknown ticker, bad parameters, the span rule, or the bars.</summary>
    private Answer Intraday(string ticker, IQueryCollection query, DateTimeOffset now)
    {
        var calls = _options.CallsPerRequest;
        if (!_market.Knows(ticker))
        {
            return new Answer(404, TickerNotFound, Text, calls, "symbol");
        }

        var interval = query["interval"].ToString();
        interval = interval.Length == 0 ? "5m" : interval;
        if (interval is not ("1m" or "5m" or "1h") || !Timeframe.TryParse(interval, out var tf))
        {
            return Invalid(calls, "interval", "The selected interval is invalid.");
        }

        var maxDays = tf.Code switch { "1m" => 120, "5m" => 600, _ => 7200 };
        var nowSeconds = now.ToUnixTimeSeconds();
        if (!TryLong(query, "to", nowSeconds, out var to))
        {
            return Invalid(calls, "to", "The to must be an integer.");
        }

        // Without `from` EODHD answers the last 120 days.
        if (!TryLong(query, "from", to - (120 * 86_400L), out var from))
        {
            return Invalid(calls, "from", "The from must be an integer.");
        }

        if (to - from > maxDays * 86_400L)
        {
            // EODHD refuses the whole request (no truncated answer).
            var message = $"[\"Max period length is {maxDays} days\"]";
            return new Answer(422, $$$"""{"errors":{"to":{{{message}}},"from":{{{message}}}}}""", Json, calls, "span");
        }

        var json = new StringBuilder().Append('[');
        var rows = 0;
        if (to >= from)
        {
            // Both ends inclusive.
            var range = new TimeRange(from * 1000, checked((to + 1) * 1000));
            foreach (var bar in _market.Bars(ticker, tf, range, now.ToUnixTimeMilliseconds()))
            {
                if (rows++ > 0)
                {
                    json.Append(',');
                }

                bar.WriteTo(json);
            }
        }

        return new Answer(200, json.Append(']').ToString(), Json, calls, null, rows: rows);
    }

    private async Task<Answer> InjectAsync(Answer answer, CancellationToken aborted)
    {
        if (answer.Status != 200)
        {
            return answer;
        }

        if (Roll(_options.TruncatedBodyRate))
        {
            return answer with { Body = answer.Body[..(answer.Body.Length / 2)], Fault = "truncated" };
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
                return answer with { Fault = "aborted" };
            }

            return answer with { Fault = "slow" };
        }

        return answer;
    }

    private static Answer Invalid(int calls, string field, string message)
        => new(422, $$$"""{"errors":{"{{{field}}}":["{{{message}}}"]}}""", Json, calls, "parameter");

    private static bool TryLong(IQueryCollection query, string name, long fallback, out long value)
    {
        var text = query[name].ToString();
        if (text.Length == 0)
        {
            value = fallback;
            return true;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    // Caller holds _gate.
    private bool RollLocked(double rate) => rate > 0 && _dice.NextDouble() < rate;

    /// <summary>One answer: status, body, what it cost, why it is not plain data.</summary>
    private sealed record Answer(
        int Status, byte[] Body, string ContentType, int Calls, string? Fault, List<KeyValuePair<string, string>>? Headers = null, int Rows = 0)
    {
        public Answer(int status, string body, string contentType, int calls, string? fault, List<KeyValuePair<string, string>>? headers = null, int rows = 0)
            : this(status, Encoding.UTF8.GetBytes(body), contentType, calls, fault, headers, rows)
        {
        }
    }
}
