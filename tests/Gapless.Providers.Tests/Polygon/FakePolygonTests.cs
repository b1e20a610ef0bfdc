using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Gapless.Core.Model;
using Gapless.FakeVendors.Polygon;

namespace Gapless.Providers.Tests.Polygon;

/// <summary>The fake answers in the shapes of the real payloads in Fixtures/ (field order included).</summary>
public class FakePolygonTests
{
    private static readonly long Mar4Ny = UtcTime.ToEpochMs(new DateTimeOffset(2024, 3, 4, 5, 0, 0, TimeSpan.Zero));

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(FakePolygon fake, string pathAndQuery, string? key = FakePolygon.DefaultApiKey)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fake.BaseUrl, pathAndQuery));
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string[] Keys(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];

    private static string[] Keys(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return Keys(doc.RootElement);
    }

    [Fact]
    public async Task Aggregates_HaveTheRealAnswersFieldOrder()
    {
        await using var fake = await FakePolygon.StartAsync(new FakePolygonOptions { PageSize = 3 });

        var (status, body) = await GetAsync(fake, $"/v2/aggs/ticker/AAPL/range/1/day/{Mar4Ny}/{Mar4Ny + (10 * 86_400_000L)}?adjusted=true&sort=asc&limit=50000");

        Assert.Equal(HttpStatusCode.OK, status);
        using var real = JsonDocument.Parse(Fixture.Bytes("polygon-aggs-AAPL.json"));
        using var ours = JsonDocument.Parse(body);
        Assert.Equal([.. Keys(real.RootElement), "next_url"], Keys(ours.RootElement));
        Assert.Equal(Keys(real.RootElement.GetProperty("results")[0]), Keys(ours.RootElement.GetProperty("results")[0]));
        Assert.StartsWith($"{fake.BaseUrl.GetLeftPart(UriPartial.Authority)}/v2/aggs/ticker/AAPL/range/1/day/", ours.RootElement.GetProperty("next_url").GetString(), StringComparison.Ordinal);
        Assert.Contains("?cursor=", ours.RootElement.GetProperty("next_url").GetString(), StringComparison.Ordinal);
        Assert.Equal(Mar4Ny, ours.RootElement.GetProperty("results")[0].GetProperty("t").GetInt64());
    }

    [Fact]
    public async Task UnknownTicker_IsTheRealEmptyAnswer()
    {
        var options = new FakePolygonOptions();
        options.UnknownTickers.Add("AAMC");
        await using var fake = await FakePolygon.StartAsync(options);

        var (status, body) = await GetAsync(fake, $"/v2/aggs/ticker/AAMC/range/1/day/{Mar4Ny}/{Mar4Ny}?adjusted=true");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Keys(System.Text.Encoding.UTF8.GetString(Fixture.Bytes("polygon-aggs-empty-AAMC.json"))), Keys(body));
        Assert.StartsWith("""{"ticker":"AAMC","queryCount":0,"resultsCount":0,"adjusted":true,"status":"OK","request_id":""", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Volumes_AreDoublesInEveryShapePolygonSends()
    {
        await using var fake = await FakePolygon.StartAsync(new FakePolygonOptions());

        var (_, body) = await GetAsync(fake, $"/v2/aggs/ticker/AAPL/range/5/minute/{Mar4Ny}/{Mar4Ny + 86_400_000L}?limit=50000");

        Assert.Matches("\"v\":[0-9]+,", body);
        Assert.Matches("\"v\":[0-9]+\\.0,", body);
        Assert.Matches("\"v\":[0-9](\\.[0-9]+)?e\\+[0-9]{2},", body);
    }

    [Fact]
    public async Task Refusals_HaveTheRealBodies()
    {
        var options = new FakePolygonOptions { RequestsPerMinute = 1 };
        options.NotAuthorized.Add(new FakePolygonRefusal(Timespan: "minute"));
        await using var fake = await FakePolygon.StartAsync(options);
        var path = $"/v2/aggs/ticker/AAPL/range/1/minute/{Mar4Ny}/{Mar4Ny + 60_000}";

        var noKey = await GetAsync(fake, path, key: null);
        var badKey = await GetAsync(fake, path, key: "wrong");
        var refused = await GetAsync(fake, path);
        var limited = await GetAsync(fake, path);

        Assert.Equal(HttpStatusCode.Unauthorized, noKey.Status);
        Assert.Contains("\"error\":\"API Key was not provided\"", noKey.Body, StringComparison.Ordinal);
        Assert.Equal(["status", "request_id", "error"], Keys(badKey.Body));
        Assert.Contains("\"error\":\"Unknown API Key\"", badKey.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal(Keys(System.Text.Encoding.UTF8.GetString(Fixture.Bytes("polygon-error-not-authorized.json"))), Keys(refused.Body));
        Assert.Equal((HttpStatusCode)429, limited.Status);
        Assert.Contains("exceeded the maximum requests per minute", limited.Body, StringComparison.Ordinal);
        Assert.Equal([401, 401, 403, 429], fake.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task Limit_CountsBaseAggregates_AndContinuesThroughNextUrl()
    {
        await using var fake = await FakePolygon.StartAsync(new FakePolygonOptions());
        var to = Mar4Ny + 86_400_000L - 1;

        var (_, body) = await GetAsync(fake, $"/v2/aggs/ticker/AAPL/range/1/hour/{Mar4Ny}/{to}?limit=100");

        using var doc = JsonDocument.Parse(body);
        var request = Assert.Single(fake.Requests);
        Assert.True(request.LimitReached);
        Assert.InRange(request.BaseAggregates, 1, 100);
        Assert.Equal(request.BaseAggregates, doc.RootElement.GetProperty("queryCount").GetInt32());
        Assert.True(doc.RootElement.TryGetProperty("next_url", out _));
    }

    [Fact]
    public async Task ExpectedBars_AgreeWithWhatIsServed()
    {
        await using var fake = await FakePolygon.StartAsync(new FakePolygonOptions());
        var range = TimeRange.Of(new DateTimeOffset(2024, 3, 4, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 3, 9, 0, 0, 0, TimeSpan.Zero));

        var (_, body) = await GetAsync(fake, $"/v2/aggs/ticker/MSFT/range/1/day/{Mar4Ny}/{Mar4Ny + (4 * 86_400_000L)}?limit=50000");
        var expected = fake.ExpectedBars("MSFT", Timeframe.D1, range);

        using var doc = JsonDocument.Parse(body);
        var served = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(5, expected.Count);
        Assert.Equal(served.Select(r => r.GetProperty("c").GetDecimal()), expected.Select(b => b.Close));
        Assert.Equal(
            ["2024-03-04", "2024-03-05", "2024-03-06", "2024-03-07", "2024-03-08"],
            expected.Select(b => UtcTime.ToIso(b.OpenTimeMs)[..10]));
    }
}
