using System.Net;
using Gapless.Core.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Gapless.FakeVendors.Alpaca;

/// <summary>
/// Alpaca's market-data API v2 (stock bars) on Kestrel at 127.0.0.1, byte-faithful where clients can tell:
/// <c>/v2/stocks/{symbol}/bars</c> and <c>/v2/stocks/bars?symbols=…</c> with <c>page_token</c> paging (a page holds
/// at most <c>limit</c> bars across all symbols and may end in the middle of one), key headers, the
/// <c>X-RateLimit-*</c> headers and 429s, the free plan's 403 for recent SIP data, 422s for bad parameters. See
/// <see cref="FakeAlpacaOptions"/> for the data and faults it serves. Start with <see cref="StartAsync"/>; read what
/// it received from <see cref="Requests"/> and what a faithful client must return from <see cref="ExpectedBars"/>.
/// Thread-safe.
/// </summary>
public sealed partial class FakeAlpaca : IAsyncDisposable
{
    private FakeHost _host = null!;
    private readonly FakeAlpacaOptions _options;
    private readonly FakeAlpacaMarket _market;
    private readonly FakeAlpacaLimits _limits;
    private readonly Random _dice;
    private readonly Lock _gate = new();
    private readonly List<FakeAlpacaRequest> _requests = [];

    private FakeAlpaca(FakeAlpacaOptions options)
    {
        _options = options;
        _market = new FakeAlpacaMarket(options);
        _limits = new FakeAlpacaLimits(options);
        _dice = new Random(options.Seed);
    }

    /// <summary>The base URL to give a client: <c>http://127.0.0.1:PORT</c>.</summary>
    public Uri BaseUrl => _host.BaseUrl;

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<FakeAlpacaRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The bars requests received so far (both endpoints).</summary>
    public IReadOnlyList<FakeAlpacaRequest> BarsRequests => [.. Requests.Where(r => r.IsBars)];

    /// <summary>Starts a fake on 127.0.0.1:<paramref name="port"/> (0: a free port; read <see cref="BaseUrl"/>).</summary>
    public static async Task<FakeAlpaca> StartAsync(FakeAlpacaOptions options, int port = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var fake = new FakeAlpaca(options);
        fake._host = await FakeHost.StartAsync(fake.HandleAsync, port, cancellationToken).ConfigureAwait(false);
        return fake;
    }

    /// <summary>
    /// Ground truth: the bars a faithful client returns for <paramref name="range"/> — every bar closed by the fake's
    /// clock whose Gapless open time lies inside (daily and longer bars at 00:00 UTC of their first calendar day, not at
    /// Alpaca's New York midnight), values exactly as written on the wire. Empty for an unknown symbol.
    /// </summary>
    public IReadOnlyList<Bar> ExpectedBars(string symbol, Timeframe timeframe, TimeRange range)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        ArgumentNullException.ThrowIfNull(timeframe);
        var now = _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        return [.. _market.InGaplessRange(symbol, timeframe, range, now).Select(b => b.ToBar())];
    }

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

    // On a 2-core machine the pool starts with two threads; an in-process server and client warming up (JIT) then
    // wait up to a second for the pool to grow, which holds requests "in flight" long after they were sent. Only raised.
    private void Log(FakeAlpacaRequest request)
    {
        lock (_gate)
        {
            _requests.Add(request);
        }
    }

    private bool Roll(double rate)
    {
        if (rate <= 0)
        {
            return false;
        }

        lock (_gate)
        {
            return _dice.NextDouble() < rate;
        }
    }

    private static async Task WriteAsync(HttpContext context, int status, byte[] body, IEnumerable<KeyValuePair<string, string>> headers, string contentType = "application/json; charset=UTF-8")
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        foreach (var (name, value) in headers)
        {
            response.Headers[name] = value;
        }

        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
