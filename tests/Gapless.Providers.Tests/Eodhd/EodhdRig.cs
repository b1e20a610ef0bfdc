using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.FakeVendors.Eodhd;
using Gapless.Providers.Eodhd;

namespace Gapless.Providers.Tests.Eodhd;

/// <summary>A <see cref="FakeEodhd"/> on 127.0.0.1 and a provider pointed at it with the fake's token and fast retry settings.</summary>
internal sealed class EodhdRig : IAsyncDisposable
{
    public static readonly DateTimeOffset Jan2 = new(2024, 1, 2, 0, 0, 0, TimeSpan.Zero);

    private EodhdRig(FakeEodhd fake, EodhdProvider provider)
    {
        Fake = fake;
        Provider = provider;
    }

    public FakeEodhd Fake { get; }

    public EodhdProvider Provider { get; }

    public static Series Aapl(Timeframe? timeframe = null) => new("eodhd", "AAPL.US", timeframe ?? Timeframe.M1);

    /// <summary><paramref name="days"/> whole UTC days from <paramref name="from"/> (default 2024-01-02, a Tuesday).</summary>
    public static TimeRange Days(double days, DateTimeOffset? from = null)
    {
        var start = from ?? Jan2;
        return TimeRange.Of(start, start.AddDays(days));
    }

    public static async Task<EodhdRig> StartAsync(
        Action<FakeEodhdOptions>? fake = null, Action<EodhdOptions>? provider = null, TimeProvider? time = null)
    {
        var fakeOptions = FakeEodhdOptions.WithToken();
        fakeOptions.TimeProvider = time ?? TimeProvider.System;
        fake?.Invoke(fakeOptions);
        var server = await FakeEodhd.StartAsync(fakeOptions);
        var options = new EodhdOptions
        {
            BaseUrl = server.BaseUrl,
            ApiToken = fakeOptions.ApiToken,
            MaxRetries = 6,
            BaseDelay = TimeSpan.FromMilliseconds(10),
            MaxDelay = TimeSpan.FromMilliseconds(200),
            AttemptTimeout = TimeSpan.FromSeconds(20),
        };
        provider?.Invoke(options);
        return new EodhdRig(server, EodhdRegistration.CreateProvider(options, time ?? TimeProvider.System));
    }

    public Task<IReadOnlyList<Bar>> FetchAsync(TimeRange chunk, VendorCallLog? calls = null, Series? series = null)
        => Provider.FetchAsync(series ?? Aapl(), chunk, calls ?? new VendorCallLog());

    public IReadOnlyList<Bar> Expected(TimeRange range, Series? series = null)
    {
        var s = series ?? Aapl();
        return Fake.ExpectedBars(s.Symbol, s.Timeframe, range);
    }

    public IReadOnlyList<FakeEodhdRequest> Intraday => [.. Fake.Requests.Where(r => r.IsIntraday)];

    public async ValueTask DisposeAsync()
    {
        Provider.Dispose();
        await Fake.DisposeAsync();
    }
}
