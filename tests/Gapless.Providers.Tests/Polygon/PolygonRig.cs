using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.FakeVendors.Polygon;
using Gapless.Providers.Polygon;

namespace Gapless.Providers.Tests.Polygon;

/// <summary>A <see cref="FakePolygon"/> on 127.0.0.1 and a provider pointed at it, unlimited and with fast retries unless told otherwise.</summary>
internal sealed class PolygonRig : IAsyncDisposable
{
    /// <summary>Monday 2024-03-04; New York moves to daylight time on Sunday 2024-03-10.</summary>
    public static readonly DateTimeOffset Mar4 = new(2024, 3, 4, 0, 0, 0, TimeSpan.Zero);

    private PolygonRig(FakePolygon fake, PolygonProvider provider, PolygonOptions options)
    {
        Fake = fake;
        Provider = provider;
        Options = options;
    }

    public FakePolygon Fake { get; }

    public PolygonProvider Provider { get; }

    public PolygonOptions Options { get; }

    public static Series Aapl(Timeframe? timeframe = null) => new("polygon", "AAPL", timeframe ?? Timeframe.M1);

    /// <summary><paramref name="days"/> whole UTC days from <paramref name="from"/> (default <see cref="Mar4"/>).</summary>
    public static TimeRange Days(int days, DateTimeOffset? from = null)
    {
        var start = from ?? Mar4;
        return TimeRange.Of(start, start.AddDays(days));
    }

    public static async Task<PolygonRig> StartAsync(
        Action<FakePolygonOptions>? fake = null, Action<PolygonOptions>? provider = null, TimeProvider? time = null)
    {
        var fakeOptions = new FakePolygonOptions { TimeProvider = time ?? TimeProvider.System };
        fake?.Invoke(fakeOptions);
        var server = await FakePolygon.StartAsync(fakeOptions);
        var options = new PolygonOptions
        {
            BaseUrl = server.BaseUrl,
            ApiKey = FakePolygon.DefaultApiKey,
            RequestsPerMinute = null,
            MaxRetries = 6,
            BaseDelay = TimeSpan.FromMilliseconds(10),
            MaxDelay = TimeSpan.FromMilliseconds(200),
            AttemptTimeout = TimeSpan.FromSeconds(10),
        };
        provider?.Invoke(options);
        return new PolygonRig(server, PolygonRegistration.CreateProvider(options, time ?? TimeProvider.System), options);
    }

    public Task<IReadOnlyList<Bar>> FetchAsync(TimeRange chunk, VendorCallLog? calls = null, Series? series = null)
        => Provider.FetchAsync(series ?? Aapl(), chunk, calls ?? new VendorCallLog());

    public IReadOnlyList<Bar> Expected(TimeRange range, Series? series = null)
    {
        var s = series ?? Aapl();
        return Fake.ExpectedBars(s.Symbol, s.Timeframe, range);
    }

    public async ValueTask DisposeAsync()
    {
        Provider.Dispose();
        await Fake.DisposeAsync();
    }
}
