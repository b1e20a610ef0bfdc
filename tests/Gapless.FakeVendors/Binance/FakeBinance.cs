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
    private readonly WebApplication _app;
    private readonly FakeBinanceOptions _options;
    private readonly FakeBinanceMarket _market;
    private readonly FakeBinanceLimits _limits;
    private readonly Random _dice;
    private readonly Lock _gate = new();
    private readonly List<FakeBinanceRequest> _requests = [];

    private FakeBinance(WebApplication app, FakeBinanceOptions options)
    {
        _app = app;
        _options = options;
        _market = new FakeBinanceMarket(options);
        _limits = new FakeBinanceLimits(options);
        _dice = new Random(options.Seed);
    }

    /// <summary>The base URL to give a client: <c>http://127.0.0.1:PORT</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

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
        RaiseThreadPoolMinimum();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var fake = new FakeBinance(app, options);
        app.Run(fake.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        fake.BaseUrl = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
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
    private static void RaiseThreadPoolMinimum()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(io, 32));
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
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private void Log(FakeBinanceRequest request)
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
