using Gapless.Core.Errors;
using Gapless.Core.Ports;
using Gapless.FakeVendors.Polygon;
using Gapless.Testing;

namespace Gapless.Providers.Tests.Polygon;

/// <summary>The key reaches Polygon on every page and nowhere else: not the fetch log, not a message, not a foreign host.</summary>
public class PolygonProviderKeyTests
{
    private const string Key = FakePolygon.DefaultApiKey;

    [Fact]
    public async Task Fetch_KeyInTheHeader_IsSentWithEveryNextUrlPage_AndNeverRecorded()
    {
        await using var rig = await PolygonRig.StartAsync(fake: o => o.PageSize = 600);
        var calls = new VendorCallLog();

        var bars = await rig.FetchAsync(PolygonRig.Days(2), calls);

        BarAssert.Equal(rig.Expected(PolygonRig.Days(2)), bars);
        var requests = rig.Fake.Requests;
        Assert.Contains(requests, r => r.IsNextPage);
        Assert.All(requests, r => Assert.Equal(("header", true), (r.KeyFrom, r.KeyValid)));
        Assert.All(requests, r => Assert.DoesNotContain(Key, r.PathAndQuery, StringComparison.Ordinal));
        AssertNeverRecorded(calls);
    }

    [Fact]
    public async Task Fetch_KeyInTheQuery_IsAddedBackToEveryNextUrlPage_AndNeverRecorded()
    {
        await using var rig = await PolygonRig.StartAsync(fake: o => o.PageSize = 600, provider: o => o.SendKeyInQuery = true);
        var calls = new VendorCallLog();

        var bars = await rig.FetchAsync(PolygonRig.Days(2), calls);

        BarAssert.Equal(rig.Expected(PolygonRig.Days(2)), bars);
        var requests = rig.Fake.Requests;
        Assert.True(requests.Count(r => r.IsNextPage) >= 2);
        Assert.All(requests, r => Assert.Equal(("query", true), (r.KeyFrom, r.KeyValid)));
        Assert.All(requests, r => Assert.Contains($"apiKey={Key}", r.PathAndQuery, StringComparison.Ordinal));
        Assert.All(requests.Where(r => r.NextUrl is not null), r => Assert.DoesNotContain("apiKey", r.NextUrl!, StringComparison.Ordinal));
        AssertNeverRecorded(calls);

        // The log holds what was asked, the key taken out: the first request, then each next_url's path and query.
        Assert.Equal(requests.Count, calls.Calls.Count);
        Assert.Equal(requests.Select(r => r.PathAndQuery.Replace($"&apiKey={Key}", string.Empty, StringComparison.Ordinal)), calls.Calls.Select(c => c.Request));
    }

    [Fact]
    public async Task Fetch_NextUrlOnTheVendorsHost_IsFollowedOnTheConfiguredHost()
    {
        await using var rig = await PolygonRig.StartAsync(fake: o =>
        {
            o.PageSize = 600;
            o.NextUrlBase = new Uri("https://api.polygon.io");
        });

        var bars = await rig.FetchAsync(PolygonRig.Days(2));

        BarAssert.Equal(rig.Expected(PolygonRig.Days(2)), bars);
        Assert.Contains(rig.Fake.Requests, r => r.IsNextPage);
        Assert.All(rig.Fake.Requests, r => Assert.StartsWith("https://api.polygon.io/", r.NextUrl ?? "https://api.polygon.io/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Fetch_NextUrlOnAForeignHost_IsRefusedWithoutSendingAnything()
    {
        await using var rig = await PolygonRig.StartAsync(
            fake: o =>
            {
                o.PageSize = 600;
                o.NextUrlBase = new Uri("https://api.polygon.io.attacker.example");
            },
            provider: o => o.SendKeyInQuery = true);
        var calls = new VendorCallLog();

        var e = await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(PolygonRig.Days(2), calls));

        Assert.Equal(VendorErrorKind.Refused, e.Kind);
        Assert.Contains("api.polygon.io.attacker.example", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, e.Message, StringComparison.Ordinal);
        Assert.Single(rig.Fake.Requests);
        AssertNeverRecorded(calls);
    }

    [Fact]
    public async Task Fetch_WrongKey_FailsAtOnceNamingTheVariableNotTheKey()
    {
        await using var rig = await PolygonRig.StartAsync(provider: o => o.ApiKey = "not-the-key-but-secret-too");
        var calls = new VendorCallLog();

        var e = await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(PolygonRig.Days(1), calls));

        Assert.Equal(VendorErrorKind.Unauthorized, e.Kind);
        Assert.Equal("polygon rejected the API key (HTTP 401: ERROR: Unknown API Key); check POLYGON_API_KEY", e.Message);
        Assert.Single(rig.Fake.Requests);
        Assert.DoesNotContain("not-the-key", string.Join(' ', calls.Calls.Select(c => c.Request + c.Error)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_WithoutAKey_FailsWithoutSending()
    {
        await using var rig = await PolygonRig.StartAsync(provider: o => o.ApiKey = null);

        var e = await Assert.ThrowsAsync<VendorException>(() => rig.FetchAsync(PolygonRig.Days(1)));

        Assert.Equal(VendorErrorKind.Unauthorized, e.Kind);
        Assert.Contains("POLYGON_API_KEY", e.Message, StringComparison.Ordinal);
        Assert.Empty(rig.Fake.Requests);
    }

    [Fact]
    public async Task Fetch_UnreachableHost_NamesNoKeyInMessageOrLog()
    {
        int port;
        await using (var dead = await FakePolygon.StartAsync(new FakePolygonOptions()))
        {
            port = dead.BaseUrl.Port;
        }

        using var provider = Gapless.Providers.Polygon.PolygonRegistration.CreateProvider(new Gapless.Providers.Polygon.PolygonOptions
        {
            BaseUrl = new Uri($"http://127.0.0.1:{port}"),
            ApiKey = Key,
            SendKeyInQuery = true,
            MaxRetries = 1,
            BaseDelay = TimeSpan.FromMilliseconds(1),
        });
        var calls = new VendorCallLog();

        var e = await Assert.ThrowsAsync<VendorException>(() => provider.FetchAsync(PolygonRig.Aapl(), PolygonRig.Days(1), calls));

        Assert.Equal(VendorErrorKind.Unreachable, e.Kind);
        Assert.DoesNotContain(Key, e.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, calls.Calls.Count);
        AssertNeverRecorded(calls);
    }

    private static void AssertNeverRecorded(VendorCallLog calls)
    {
        Assert.NotEmpty(calls.Calls);
        Assert.All(calls.Calls, c =>
        {
            Assert.DoesNotContain(Key, c.Request, StringComparison.Ordinal);
            Assert.DoesNotContain("apiKey", c.Request, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Key, c.Error ?? string.Empty, StringComparison.Ordinal);
        });
    }
}
