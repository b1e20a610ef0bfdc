using System.Globalization;
using System.Text;
using Gapless.Core.Model;
using Microsoft.AspNetCore.Http;

namespace Gapless.FakeVendors.Binance;

/// <summary>Request handling: routing, validation like Binance's, faults, and the answer bodies.</summary>
public sealed partial class FakeBinance
{
    private const string InvalidSymbol = """{"code":-1121,"msg":"Invalid symbol."}""";

    // The body api.binance.com sends from a restricted location (ccxt issue #16044).
    private const string RestrictedBody = """{"code":0,"msg":"Service unavailable from a restricted location according to 'b. Eligibility' in https://www.binance.com/en/terms. Please contact customer service if you believe you received this message in error."}""";

    private async Task HandleAsync(HttpContext context)
    {
        var now = _options.TimeProvider.GetUtcNow();
        var pathAndQuery = context.Request.Path.Value + context.Request.QueryString.Value;
        var path = context.Request.Path.Value;
        var isKlines = path == "/api/v3/klines";
        if (!isKlines && path != "/api/v3/exchangeInfo")
        {
            Log(new(now, pathAndQuery, 0, 404, 0, null, null, false, null));
            context.Response.StatusCode = 404;
            return;
        }

        if (_options.Restricted)
        {
            Log(new(now, pathAndQuery, 0, 451, 0, null, null, false, null));
            await WriteAsync(context, 451, RestrictedBody, []).ConfigureAwait(false);
            return;
        }

        var weight = isKlines ? _options.KlinesWeight : _options.ExchangeInfoWeight;
        var dice = DiceFor(pathAndQuery);
        var admission = _limits.Admit(now, weight, isKlines && Roll(dice, _options.TooManyRequestsRate));
        if (admission.Status != 200)
        {
            Log(new(now, pathAndQuery, admission.Status == 418 ? 0 : weight, admission.Status, 0,
                admission.RetryAfterFrom, admission.RetryAfterUntil, admission.InsideRetryAfter, admission.Fault));
            var body = admission.Status == 418
                ? $$"""{"code":-1003,"msg":"Way too much request weight used; IP banned until {{admission.BannedUntil!.Value.ToUnixTimeMilliseconds()}}. Please use WebSocket Streams for live updates to avoid bans."}"""
                : """{"code":-1003,"msg":"Too much request weight used; current limit is exceeded. Please use WebSocket Streams for live updates to avoid bans."}""";
            await WriteAsync(context, admission.Status, body, admission.Headers, admission.RetryAfterSeconds).ConfigureAwait(false);
            return;
        }

        var (status, answer, rows) = isKlines ? Klines(context.Request.Query, now) : ExchangeInfo(context.Request.Query, now);
        string? fault = null;
        if (status == 200 && isKlines)
        {
            (status, answer, fault) = await InjectAsync(answer, dice, context.RequestAborted).ConfigureAwait(false);
        }

        Log(new(now, pathAndQuery, weight, status, fault is "5xx" ? 0 : rows, null, null, false, fault));
        if (fault == "aborted")
        {
            return;
        }

        await WriteAsync(context, status, answer, admission.Headers).ConfigureAwait(false);
    }

    private async Task<(int Status, byte[] Body, string? Fault)> InjectAsync(byte[] body, Random dice, CancellationToken aborted)
    {
        if (Roll(dice, _options.ServerErrorRate))
        {
            return (503, Encoding.UTF8.GetBytes("""{"code":-1001,"msg":"Internal error; unable to process your request. Please try again."}"""), "5xx");
        }

        if (Roll(dice, _options.TruncatedBodyRate))
        {
            return (200, body[..(body.Length / 2)], "truncated");
        }

        if (Roll(dice, _options.SlowAnswerRate))
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

    private (int Status, byte[] Body, int Rows) Klines(IQueryCollection query, DateTimeOffset now)
    {
        string symbol = query["symbol"].ToString();
        if (symbol.Length == 0)
        {
            return Error("""{"code":-1102,"msg":"Mandatory parameter 'symbol' was not sent, was empty/null, or malformed."}""");
        }

        if (!_market.Knows(symbol))
        {
            return Error(InvalidSymbol);
        }

        if (!Timeframe.TryParse(query["interval"].ToString(), out var tf))
        {
            return Error("""{"code":-1120,"msg":"Invalid interval."}""");
        }

        var limit = Long(query, "limit") ?? 500;
        if (limit is < 1 or > 1000)
        {
            return Error("""{"code":-1130,"msg":"Data sent for parameter 'limit' is not valid."}""");
        }

        var nowMs = now.ToUnixTimeMilliseconds();
        var start = Long(query, "startTime");
        var end = Long(query, "endTime");
        if (start > end)
        {
            return Error("""{"code":-1023,"msg":"Start time is greater than end time."}""");
        }

        // Without startTime Binance answers the latest klines up to endTime (or now).
        var to = end ?? nowMs;
        var from = start ?? tf.Add(tf.Floor(to), -(limit - 1));
        var klines = _market.Klines(symbol, tf, from, to, (int)limit, nowMs);
        var json = new StringBuilder(klines.Count * 160).Append('[');
        for (var i = 0; i < klines.Count; i++)
        {
            if (i > 0)
            {
                json.Append(',');
            }

            klines[i].WriteTo(json);
        }

        return (200, Encoding.UTF8.GetBytes(json.Append(']').ToString()), klines.Count);
    }

    private (int Status, byte[] Body, int Rows) ExchangeInfo(IQueryCollection query, DateTimeOffset now)
    {
        string symbol = query["symbol"].ToString();
        if (symbol.Length > 0 && !_market.Knows(symbol))
        {
            return Error(InvalidSymbol);
        }

        var c = CultureInfo.InvariantCulture;
        var limits = string.Join(',', _options.EffectiveRateLimits.Select(l =>
            $$"""{"rateLimitType":"{{l.RateLimitType}}","interval":"{{l.Interval}}","intervalNum":{{l.IntervalNum.ToString(c)}},"limit":{{l.Limit.ToString(c)}}}"""));
        var symbols = string.Join(',', _options.Symbols.Where(s => symbol.Length == 0 || s.Name == symbol).Select(s =>
            $$"""{"symbol":"{{s.Name}}","status":"TRADING","baseAsset":"{{s.Name[..^4]}}","baseAssetPrecision":8,"quoteAsset":"{{s.Name[^4..]}}","quotePrecision":8,"quoteAssetPrecision":8,"orderTypes":["LIMIT","LIMIT_MAKER","MARKET","STOP_LOSS_LIMIT","TAKE_PROFIT_LIMIT"],"icebergAllowed":true,"ocoAllowed":true,"isSpotTradingAllowed":true,"isMarginTradingAllowed":true,"filters":[{"filterType":"PRICE_FILTER","minPrice":"0.01000000","maxPrice":"1000000.00000000","tickSize":"0.01000000"}],"permissions":[],"defaultSelfTradePreventionMode":"EXPIRE_MAKER","allowedSelfTradePreventionModes":["EXPIRE_TAKER","EXPIRE_MAKER","EXPIRE_BOTH"]}"""));
        var body = $$"""{"timezone":"UTC","serverTime":{{now.ToUnixTimeMilliseconds().ToString(c)}},"rateLimits":[{{limits}}],"exchangeFilters":[],"symbols":[{{symbols}}]}""";
        return (200, Encoding.UTF8.GetBytes(body), 0);
    }

    private static (int Status, byte[] Body, int Rows) Error(string body) => (400, Encoding.UTF8.GetBytes(body), 0);

    private static long? Long(IQueryCollection query, string name)
        => query.TryGetValue(name, out var v) && long.TryParse(v.ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;
}
