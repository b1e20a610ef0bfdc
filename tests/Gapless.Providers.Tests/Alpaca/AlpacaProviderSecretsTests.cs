using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.FakeVendors.Alpaca;

namespace Gapless.Providers.Tests.Alpaca;

/// <summary>The keys travel in headers only: never in a logged request, an error, or an exception's text.</summary>
public class AlpacaProviderSecretsTests
{
    private const string KeyId = "PKSECRETKEYID31415";
    private const string Secret = "sk-very-secret-27182818";

    [Fact]
    public async Task Keys_NeverAppearInCallsOrErrors_WhateverHappens()
    {
        var calls = new VendorCallLog();
        var errors = new List<Exception>();

        // Success, over several pages.
        await using (var rig = await StartAsync(fake: o => o.MaxPageSize = 50))
        {
            Assert.NotEmpty(await rig.FetchAsync(AlpacaRig.Chunk(1440), calls));
            Assert.All(rig.Fake.Requests, r => Assert.True(r.Authenticated));
        }

        // 5xx until the retries run out, and broken bodies.
        await using (var rig = await StartAsync(fake: o => o.ServerErrorRate = 1, provider: o => o.MaxRetries = 1, time: TimeProvider.System))
        {
            errors.Add(await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(AlpacaRig.Chunk(100), calls)));
        }

        await using (var rig = await StartAsync(fake: o => o.TruncatedBodyRate = 1, provider: o => o.MaxRetries = 1, time: TimeProvider.System))
        {
            errors.Add(await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(AlpacaRig.Chunk(1440), calls)));
        }

        // Unknown symbol, recent SIP data, a 429.
        await using (var rig = await StartAsync(fake: o => o.UnknownSymbols.Add("ZZZZ")))
        {
            errors.Add(await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(AlpacaRig.Chunk(10), calls, new Series("alpaca", "ZZZZ", Timeframe.M1))));
        }

        await using (var rig = await StartAsync(provider: o => o.Feed = Gapless.Providers.Alpaca.AlpacaFeed.Sip))
        {
            var recent = new TimeRange(UtcTime.ToEpochMs(AlpacaRig.Now.AddMinutes(-10)), UtcTime.ToEpochMs(AlpacaRig.Now));
            errors.Add(await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(recent, calls)));
        }

        await using (var rig = await StartAsync(fake: o => o.TooManyRequestsRate = 1, provider: o => o.MaxRetries = 0))
        {
            errors.Add(await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(AlpacaRig.Chunk(10), calls)));
        }

        // Keys the vendor refuses: the wrong secret is still a secret.
        await using (var rig = await StartAsync(provider: o => o.KeyId = KeyId + "X"))
        {
            errors.Add(await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(AlpacaRig.Chunk(10), calls)));
        }

        // Nothing listening.
        await using (var rig = await StartAsync(provider: o => o.BaseUrl = new Uri("http://127.0.0.1:1"), time: TimeProvider.System))
        {
            errors.Add(await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(AlpacaRig.Chunk(10), calls)));
        }

        Assert.True(calls.Calls.Count > 10);
        Assert.Equal(7, errors.Count);
        foreach (var text in calls.Calls.SelectMany(c => new[] { c.Request, c.Error ?? string.Empty }).Concat(errors.Select(e => e.ToString())))
        {
            Assert.DoesNotContain(KeyId, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Secret, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("APCA-API-SECRET-KEY", text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Options_ToString_DoesNotShowTheSecret()
    {
        var options = new Gapless.Providers.Alpaca.AlpacaOptions { KeyId = KeyId, SecretKey = Secret };

        Assert.DoesNotContain(Secret, options.ToString(), StringComparison.Ordinal);
    }

    private static Task<AlpacaRig> StartAsync(
        Action<FakeAlpacaOptions>? fake = null, Action<Gapless.Providers.Alpaca.AlpacaOptions>? provider = null, TimeProvider? time = null)
        => AlpacaRig.StartAsync(
            fake: o =>
            {
                o.KeyId = KeyId;
                o.SecretKey = Secret;
                fake?.Invoke(o);
            },
            provider: provider,
            time: time);
}
