using System.Net;
using Gapless.Core.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Gapless.FakeVendors.Eodhd;

/// <summary>
/// EODHD's intraday API (<c>GET /api/intraday/{CODE.US}</c>) on Kestrel at 127.0.0.1, byte-faithful where clients can
/// tell: the answer's field order and types, the 120/600/7200-day span rule (HTTP 422, as EODHD), 401/403/404/402/429
/// bodies, <c>X-RateLimit-*</c> headers, 5 API calls charged per request against a daily allowance that resets at
/// midnight UTC. See <see cref="FakeEodhdOptions"/> for the data and faults it serves. Start with
/// <see cref="StartAsync"/>; read what it received from <see cref="Requests"/> and what a faithful client must return
/// from <see cref="ExpectedBars"/>. Thread-safe.
/// </summary>
public sealed partial class FakeEodhd : IAsyncDisposable
{
    private FakeHost _host = null!;
    private readonly FakeEodhdOptions _options;
    private readonly FakeEodhdMarket _market;
    private readonly Random _dice;
    private readonly Lock _gate = new();
    private readonly List<FakeEodhdRequest> _requests = [];
    private long _allowanceDay;
    private int _callsUsed;
    private long _minuteStart;
    private int _minuteRequests;

    private FakeEodhd(FakeEodhdOptions options)
    {
        _options = options;
        _market = new FakeEodhdMarket(options);
        _dice = new Random(options.Seed);
        _allowanceDay = DayOf(options.TimeProvider.GetUtcNow());
        _callsUsed = options.CallsUsedAtStart;
    }

    /// <summary>The base URL to give a client: <c>http://127.0.0.1:PORT</c>.</summary>
    public Uri BaseUrl => _host.BaseUrl;

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<FakeEodhdRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>API calls charged today (by the fake's clock).</summary>
    public int CallsUsedToday
    {
        get
        {
            lock (_gate)
            {
                RollDay(_options.TimeProvider.GetUtcNow());
                return _callsUsed;
            }
        }
    }

    /// <summary>Starts a fake on 127.0.0.1:<paramref name="port"/> (0: a free port; read <see cref="BaseUrl"/>).</summary>
    public static async Task<FakeEodhd> StartAsync(FakeEodhdOptions options, int port = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var fake = new FakeEodhd(options);
        fake._host = await FakeHost.StartAsync(fake.HandleAsync, port, cancellationToken).ConfigureAwait(false);
        return fake;
    }

    /// <summary>
    /// Ground truth: the bars a faithful client returns for <paramref name="range"/> — every bar the fake serves (closed
    /// by its clock, published, outside holes) with open time inside, except rows served with a null volume.
    /// </summary>
    public IReadOnlyList<Bar> ExpectedBars(string symbol, Timeframe timeframe, TimeRange range)
    {
        ArgumentNullException.ThrowIfNull(timeframe);
        var now = _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        return [.. _market.Bars(symbol, timeframe, range, now).Where(b => b.Volume is not null).Select(b => b.ToBar())];
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
    // wait up to a second for the pool to grow. Only ever raised.
    private static long DayOf(DateTimeOffset instant) => instant.ToUnixTimeMilliseconds() / 86_400_000;

    // Caller holds _gate. EODHD resets the allowance at midnight UTC.
    private void RollDay(DateTimeOffset now)
    {
        var day = DayOf(now);
        if (day != _allowanceDay)
        {
            _allowanceDay = day;
            _callsUsed = 0;
        }
    }

    private void Log(FakeEodhdRequest request)
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
}
