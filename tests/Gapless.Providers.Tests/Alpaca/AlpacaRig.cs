using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.FakeVendors.Alpaca;
using Gapless.Providers.Alpaca;
using Gapless.Testing;

namespace Gapless.Providers.Tests.Alpaca;

/// <summary>A <see cref="FakeAlpaca"/> on 127.0.0.1 and a provider pointed at it, with the fake's keys and fast retry settings.</summary>
internal sealed class AlpacaRig : IAsyncDisposable
{
    /// <summary>Tuesday 2024-01-02, the first session of 2024, 00:00 UTC.</summary>
    public static readonly DateTimeOffset Jan2 = new(2024, 1, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The fake's clock in tests that pin it: long after every range they fetch.</summary>
    public static readonly DateTimeOffset Now = new(2024, 6, 3, 15, 0, 0, TimeSpan.Zero);

    private AlpacaRig(FakeAlpaca fake, AlpacaProvider provider, AlpacaOptions options)
    {
        Fake = fake;
        Provider = provider;
        Options = options;
    }

    public FakeAlpaca Fake { get; }

    public AlpacaProvider Provider { get; }

    public AlpacaOptions Options { get; }

    public static Series Aapl(Timeframe? timeframe = null) => new("alpaca", "AAPL", timeframe ?? Timeframe.M1);

    /// <summary><paramref name="bars"/> slots of <paramref name="timeframe"/> (1m by default) from <paramref name="from"/> (2024-01-02 by default).</summary>
    public static TimeRange Chunk(long bars, Timeframe? timeframe = null, DateTimeOffset? from = null)
    {
        var tf = timeframe ?? Timeframe.M1;
        var start = tf.Ceiling(UtcTime.ToEpochMs(from ?? Jan2));
        return new TimeRange(start, tf.Add(start, bars));
    }

    public static async Task<AlpacaRig> StartAsync(
        Action<FakeAlpacaOptions>? fake = null, Action<AlpacaOptions>? provider = null, TimeProvider? time = null)
    {
        var clock = time ?? new ManualTimeProvider(Now);
        var fakeOptions = new FakeAlpacaOptions { TimeProvider = clock };
        fake?.Invoke(fakeOptions);
        var server = await FakeAlpaca.StartAsync(fakeOptions);
        var options = new AlpacaOptions
        {
            BaseUrl = server.BaseUrl,
            KeyId = fakeOptions.KeyId,
            SecretKey = fakeOptions.SecretKey,
            MaxRetries = 6,
            BaseDelay = TimeSpan.FromMilliseconds(10),
            MaxDelay = TimeSpan.FromMilliseconds(200),
            // Tests step manual clocks by seconds while real requests are in flight: only tests about timeouts set one short.
            AttemptTimeout = TimeSpan.FromHours(1),
        };
        provider?.Invoke(options);
        return new AlpacaRig(server, AlpacaRegistration.CreateProvider(options, clock), options);
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
