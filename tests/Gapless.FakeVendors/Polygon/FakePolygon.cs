using System.Net;
using Gapless.Core.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Gapless.FakeVendors.Polygon;

/// <summary>
/// Polygon's aggregates API (<c>GET /v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/{from}/{to}</c>) on Kestrel
/// at 127.0.0.1, byte-faithful where clients can tell: field order, volumes as doubles, the empty answer without
/// <c>results</c>, <c>next_url</c> with a <c>cursor</c> and no key, <c>from</c>/<c>to</c> snapping, the <c>limit</c> on
/// base aggregates, and the bodies of 401, 403 <c>NOT_AUTHORIZED</c>, 429 and 5xx. See <see cref="FakePolygonOptions"/>
/// for the data and faults it serves. Start with <see cref="StartAsync"/>; read what it received from
/// <see cref="Requests"/> and what a faithful client must return from <see cref="ExpectedBars"/>. Thread-safe.
/// </summary>
public sealed partial class FakePolygon : IAsyncDisposable
{
    /// <summary>The key the fake accepts unless told otherwise.</summary>
    public const string DefaultApiKey = "fakePolygonKey_0123456789abcdefXYZ";

    private FakeHost _host = null!;
    private readonly FakePolygonOptions _options;
    private readonly FakePolygonMarket _market;
    private readonly Random _dice;
    private readonly Lock _gate = new();
    private readonly List<FakePolygonRequest> _requests = [];
    private readonly Queue<DateTimeOffset> _admitted = new();
    private int _aggsRequests;
    private long _requestIds;

    private FakePolygon(FakePolygonOptions options)
    {
        _options = options;
        _market = new FakePolygonMarket(options);
        _dice = new Random(options.Seed);
    }

    /// <summary>The base URL to give a client: <c>http://127.0.0.1:PORT</c>.</summary>
    public Uri BaseUrl => _host.BaseUrl;

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<FakePolygonRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Starts a fake on 127.0.0.1:<paramref name="port"/> (0: a free port; read <see cref="BaseUrl"/>).</summary>
    public static async Task<FakePolygon> StartAsync(FakePolygonOptions options, int port = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var fake = new FakePolygon(options);
        fake._host = await FakeHost.StartAsync(fake.HandleAsync, port, cancellationToken).ConfigureAwait(false);
        return fake;
    }

    /// <summary>
    /// Ground truth: the bars a faithful client returns for <paramref name="range"/> — every aggregate of
    /// <paramref name="timeframe"/> whose window has closed by the fake's clock (less a delayed plan's delay), on the
    /// Gapless grid, with its Gapless open time in the range: intraday bars at their UTC start, daily and monthly
    /// bars at 00:00 UTC of their New York date, weekly bars at the Monday 00:00 UTC of their Sunday-to-Saturday week.
    /// </summary>
    /// <exception cref="ArgumentException">Polygon has no aggregate for the timeframe (3d).</exception>
    public IReadOnlyList<Bar> ExpectedBars(string ticker, Timeframe timeframe, TimeRange range)
    {
        ArgumentNullException.ThrowIfNull(timeframe);
        var (multiplier, timespan) = FakePolygonMarket.SpanOf(timeframe)
            ?? throw new ArgumentException($"polygon has no {timeframe} aggregates", nameof(timeframe));
        if (!_market.Knows(ticker) || range.IsEmpty)
        {
            return [];
        }

        var visible = VisibleUntil();
        var first = timeframe.Floor(range.FromMs);
        var last = timeframe.Floor(range.ToMs - 1);
        long from = first, to = last;
        if (FakePolygonMarket.IsDayBased(timespan))
        {
            var back = timespan == "week" ? -1 : 0;
            from = FakePolygonMarket.MidnightOf(UtcDate(first).PlusDays(back));
            to = FakePolygonMarket.MidnightOf(UtcDate(last).PlusDays(back));
        }

        return [.. _market.Buckets(ticker, multiplier, timespan, from, to, visible)
            .Where(b => FakePolygonMarket.EndOf(b.Agg.T, multiplier, timespan) <= visible)
            .Select(b => b.Agg.ToBar(GaplessOpenTime(b.Agg.T, timespan)))
            .Where(bar => range.Contains(bar.OpenTimeMs))];
    }

    /// <summary>Forgets the requests received so far (the rate-limit count stays).</summary>
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

    private long VisibleUntil() => (_options.TimeProvider.GetUtcNow() - _options.DataDelay).ToUnixTimeMilliseconds();

    private static LocalDate UtcDate(long ms) => Instant.FromUnixTimeMilliseconds(ms).InUtc().Date;

    private static long GaplessOpenTime(long vendorStart, string timespan)
    {
        if (!FakePolygonMarket.IsDayBased(timespan))
        {
            return vendorStart;
        }

        var date = FakePolygonMarket.DateOf(vendorStart).PlusDays(timespan == "week" ? 1 : 0);
        return date.AtMidnight().InUtc().ToInstant().ToUnixTimeMilliseconds();
    }

    // On a 2-core machine the pool starts with two threads; an in-process server and client warming up (JIT)
    // then wait up to a second for the pool to grow. Only ever raised.
    private void Log(FakePolygonRequest request)
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

    private string NextRequestId()
    {
        var n = Interlocked.Increment(ref _requestIds);
        var a = FakePolygonMarket.Mix((ulong)_options.Seed, (ulong)n, 1);
        var b = FakePolygonMarket.Mix((ulong)_options.Seed, (ulong)n, 2);
        return $"{a:x16}{b:x16}";
    }

    private static async Task WriteAsync(HttpContext context, int status, byte[] body)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
