using System.Net;
using Gapless.Core.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Gapless.FakeVendors.Binance;

/// <summary>
/// A Binance spot REST API on Kestrel at 127.0.0.1, byte-faithful where clients can tell: <c>/api/v3/klines</c>,
/// <c>/api/v3/exchangeInfo</c>, error bodies, weight headers, 429/418/451. See <see cref="FakeBinanceOptions"/>
/// for the data and faults it serves. Start with <see cref="StartAsync"/>; read what it received from
/// <see cref="Requests"/> and what a faithful client must return from <see cref="ExpectedBars"/>. Thread-safe.
/// </summary>
public sealed partial class FakeBinance : IAsyncDisposable
{
    private FakeHost _host = null!;
    private readonly FakeBinanceOptions _options;
    private readonly FakeBinanceMarket _market;
    private readonly FakeBinanceLimits _limits;
    private readonly Dictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly List<FakeBinanceRequest> _requests = [];

    private FakeBinance(FakeBinanceOptions options)
    {
        _options = options;
        _market = new FakeBinanceMarket(options);
        _limits = new FakeBinanceLimits(options);
    }

    /// <summary>The base URL to give a client: <c>http://127.0.0.1:PORT</c>.</summary>
    public Uri BaseUrl => _host.BaseUrl;

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<FakeBinanceRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The klines requests received so far.</summary>
    public IReadOnlyList<FakeBinanceRequest> KlinesRequests => [.. Requests.Where(r => r.IsKlines)];

    /// <summary>Starts a fake on 127.0.0.1:<paramref name="port"/> (0: a free port; read <see cref="BaseUrl"/>).</summary>
    public static async Task<FakeBinance> StartAsync(FakeBinanceOptions options, int port = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var fake = new FakeBinance(options);
        fake._host = await FakeHost.StartAsync(fake.HandleAsync, port, cancellationToken).ConfigureAwait(false);
        return fake;
    }

    /// <summary>
    /// Ground truth: the bars a faithful client returns for <paramref name="range"/> — every final kline (closed by
    /// the fake's clock) with open time inside, as served (off-grid open times, cut-short close times and bad rows
    /// included).
    /// </summary>
    public IReadOnlyList<Bar> ExpectedBars(string symbol, Timeframe timeframe, TimeRange range)
    {
        ArgumentNullException.ThrowIfNull(timeframe);
        var now = _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        return [.. _market.FinalKlines(symbol, timeframe, range, now).Select(k => k.ToBar())];
    }

    // On a 2-core machine the pool starts with two threads; an in-process server and client warming up (JIT)
    // then wait up to a second for the pool to grow, which holds requests "in flight" long after they were sent
    // and makes Retry-After checks meaningless. Only ever raised.
    /// <summary>Forgets the requests received so far.</summary>
    public void ClearRequests()
    {
        lock (_gate)
        {
            _requests.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync().ConfigureAwait(false);
    }

    private void Log(FakeBinanceRequest request)
    {
        lock (_gate)
        {
            _requests.Add(request);
        }
    }

    private static bool Roll(Random dice, double rate) => rate > 0 && dice.NextDouble() < rate;

    /// <summary>
    /// The faults of one request depend only on the seed, the request and how many times it was sent before, not on
    /// which concurrent request arrived first: a test with a given seed always meets the same faults.
    /// </summary>
    private Random DiceFor(string pathAndQuery)
    {
        int attempt;
        lock (_gate)
        {
            attempt = _attempts.TryGetValue(pathAndQuery, out var sent) ? sent + 1 : 0;
            _attempts[pathAndQuery] = attempt;
        }

        // FNV-1a: string.GetHashCode is randomized per process.
        var hash = 14695981039346656037UL;
        foreach (var c in $"{_options.Seed}|{attempt}|{pathAndQuery}")
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return new Random((int)(hash ^ (hash >> 32)));
    }

    private static async Task WriteAsync(HttpContext context, int status, string body, IEnumerable<KeyValuePair<string, string>> headers, int? retryAfter = null)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(body);
        await WriteAsync(context, status, bytes, headers, retryAfter).ConfigureAwait(false);
    }

    private static async Task WriteAsync(HttpContext context, int status, byte[] body, IEnumerable<KeyValuePair<string, string>> headers, int? retryAfter = null)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json;charset=UTF-8";
        response.ContentLength = body.Length;
        foreach (var (name, value) in headers)
        {
            response.Headers[name] = value;
        }

        if (retryAfter is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
