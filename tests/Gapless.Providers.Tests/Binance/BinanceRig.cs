using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.FakeVendors.Binance;
using Gapless.Providers.Binance;

namespace Gapless.Providers.Tests.Binance;

/// <summary>A <see cref="FakeBinance"/> on 127.0.0.1 and a provider pointed at it, with fast retry settings.</summary>
internal sealed class BinanceRig : IAsyncDisposable
{
    public static readonly DateTimeOffset Jan1 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private BinanceRig(FakeBinance fake, BinanceProvider provider)
    {
        Fake = fake;
        Provider = provider;
    }

    public FakeBinance Fake { get; }

    public BinanceProvider Provider { get; }

    public static Series Btc(Timeframe? timeframe = null) => new("binance", "BTCUSDT", timeframe ?? Timeframe.M1);

    /// <summary>The <paramref name="index"/>-th run of <paramref name="bars"/> 1m bars from 2024-01-01.</summary>
    public static TimeRange Chunk(int index, int bars = 1000, Timeframe? timeframe = null)
    {
        var tf = timeframe ?? Timeframe.M1;
        var from = tf.Add(UtcTime.ToEpochMs(Jan1), (long)index * bars);
        return new TimeRange(from, tf.Add(from, bars));
    }

    public static async Task<BinanceRig> StartAsync(
        Action<FakeBinanceOptions>? fake = null, Action<BinanceOptions>? provider = null, TimeProvider? time = null)
    {
        var fakeOptions = FakeBinanceOptions.WithBtcUsdt();
        fakeOptions.TimeProvider = time ?? TimeProvider.System;
        fake?.Invoke(fakeOptions);
        var server = await FakeBinance.StartAsync(fakeOptions);
        var options = new BinanceOptions
        {
            BaseUrl = server.BaseUrl,
            MaxRetries = 6,
            BaseDelay = TimeSpan.FromMilliseconds(10),
            MaxDelay = TimeSpan.FromMilliseconds(200),
            AttemptTimeout = TimeSpan.FromSeconds(5),
        };
        provider?.Invoke(options);
        return new BinanceRig(server, BinanceRegistration.CreateProvider(options, time ?? TimeProvider.System));
    }

    public Task<IReadOnlyList<Bar>> FetchAsync(TimeRange chunk, VendorCallLog? calls = null, Series? series = null)
        => Provider.FetchAsync(series ?? Btc(), chunk, calls ?? new VendorCallLog());

    public IReadOnlyList<Bar> Expected(TimeRange range, Series? series = null)
    {
        var s = series ?? Btc();
        return Fake.ExpectedBars(s.Symbol, s.Timeframe, range);
    }

    public async ValueTask DisposeAsync()
    {
        Provider.Dispose();
        await Fake.DisposeAsync();
    }
}
