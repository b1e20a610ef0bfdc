using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gapless.Core.Model;
using Gapless.FakeVendors.Eodhd;

namespace Gapless.Providers.Tests.Eodhd;

/// <summary>The fake itself must be faithful, or the provider tests prove nothing.</summary>
[Collection(EodhdFakeCollection.Name)]
public partial class FakeEodhdTests
{
    private const string Token = FakeEodhdOptions.DefaultToken;
    private static readonly long Jan2 = EodhdRig.Jan2.ToUnixTimeSeconds();

    [Fact]
    public async Task Intraday_WireFormatMatchesTheRealSample()
    {
        await using var fake = await FakeEodhd.StartAsync(FakeEodhdOptions.WithToken());
        using var http = new HttpClient();

        using var answer = await http.GetAsync(Url(fake, "AAPL.US", "5m", Jan2 + (9 * 3600), Jan2 + (9 * 3600) + 600));
        var body = await answer.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("application/json", answer.Content.Headers.ContentType!.MediaType);
        Assert.Equal("1000", answer.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.Equal("999", answer.Headers.GetValues("X-RateLimit-Remaining").Single());

        // Same fields, order and types as eodhd-intraday.json (compact, as EODHD sends it); both ends of from/to inclusive.
        var rows = RowPattern().Matches(body);
        Assert.Equal(3, rows.Count);
        Assert.Equal(body, "[" + string.Join(',', rows.Select(m => m.Value)) + "]");
        Assert.StartsWith($"[{{\"timestamp\":{Jan2 + (9 * 3600)},\"gmtoffset\":0,\"datetime\":\"2024-01-02 09:00:00\",\"open\":", body, StringComparison.Ordinal);
        using var sample = JsonDocument.Parse(Fixture.Bytes("eodhd-intraday.json"));
        using var served = JsonDocument.Parse(body);
        Assert.Equal(
            sample.RootElement[0].EnumerateObject().Select(p => (p.Name, p.Value.ValueKind)),
            served.RootElement[0].EnumerateObject().Select(p => (p.Name, p.Value.ValueKind)));
    }

    [Theory]
    [InlineData("1m", 120)]
    [InlineData("5m", 600)]
    [InlineData("1h", 7200)]
    public async Task Intraday_SpanLongerThanTheLimit_Is422LikeEodhd_AndTheLimitItselfIsServed(string interval, int days)
    {
        await using var fake = await FakeEodhd.StartAsync(FakeEodhdOptions.WithToken());
        using var http = new HttpClient();

        // In the future, so the allowed request answers quickly with no bars.
        var from = TimeProvider.System.GetUtcNow().AddDays(1).ToUnixTimeSeconds();
        var to = from + (days * 86_400L);

        var over = await GetAsync(http, Url(fake, "AAPL.US", interval, from - 1, to));
        var limit = await GetAsync(http, Url(fake, "AAPL.US", interval, from, to));

        Assert.Equal(
            (422, $$$"""{"errors":{"to":["Max period length is {{{days}}} days"],"from":["Max period length is {{{days}}} days"]}}"""),
            over);
        Assert.Equal((200, "[]"), limit);
        Assert.Equal(10, fake.CallsUsedToday); // the refusal is charged too
    }

    [Fact]
    public async Task Refusals_HaveEodhdsStatusesAndBodies()
    {
        var options = FakeEodhdOptions.WithToken();
        options.DailyAllowance = 10;
        await using var fake = await FakeEodhd.StartAsync(options);
        using var http = new HttpClient();

        var wrongToken = await GetAsync(http, new Uri(fake.BaseUrl, $"/api/intraday/AAPL.US?interval=1m&fmt=json&api_token=nope"));
        var unknown = await GetAsync(http, Url(fake, "NOPE.XX", "1m", Jan2, Jan2 + 60));
        var fine = await GetAsync(http, Url(fake, "AAPL.US", "1m", Jan2, Jan2 + 60));
        var usedUp = await GetAsync(http, Url(fake, "AAPL.US", "1m", Jan2, Jan2 + 60));

        Assert.Equal((401, "Unauthenticated"), wrongToken);
        Assert.Equal((404, "Ticker Not Found."), unknown);
        Assert.Equal(200, fine.Status);
        Assert.Equal((402, "You exceeded your daily API requests limit. Please contact support@eodhistoricaldata.com"), usedUp);
        Assert.Equal(10, fake.CallsUsedToday);
        Assert.Equal([0, 5, 5, 0], fake.Requests.Select(r => r.Calls));
    }

    [Fact]
    public async Task ExpectedBars_AgreeWithWhatAnyWindowServes()
    {
        await using var fake = await FakeEodhd.StartAsync(FakeEodhdOptions.WithToken());
        var range = EodhdRig.Days(2);
        var middle = range.FromMs + (30 * 3_600_000L);

        var whole = fake.ExpectedBars("AAPL.US", Timeframe.M1, range);
        var halves = fake.ExpectedBars("AAPL.US", Timeframe.M1, new(range.FromMs, middle))
            .Concat(fake.ExpectedBars("AAPL.US", Timeframe.M1, new(middle, range.ToMs)));

        Assert.Equal(whole, halves);
        Assert.All(whole, b => Assert.True(b.Low <= Math.Min(b.Open, b.Close) && b.High >= Math.Max(b.Open, b.Close) && b.Volume > 0));
        Assert.NotEqual(whole, fake.ExpectedBars("MSFT.US", Timeframe.M1, range));
    }

    private static Uri Url(FakeEodhd fake, string ticker, string interval, long from, long to)
        => new(fake.BaseUrl, $"/api/intraday/{ticker}?interval={interval}&from={from}&to={to}&fmt=json&api_token={Token}");

    private static async Task<(int Status, string Body)> GetAsync(HttpClient http, Uri url)
    {
        using var answer = await http.GetAsync(url);
        return ((int)answer.StatusCode, await answer.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("""\{"timestamp":\d{10},"gmtoffset":0,"datetime":"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d","open":\d+(\.\d{1,6})?,"high":\d+(\.\d{1,6})?,"low":\d+(\.\d{1,6})?,"close":\d+(\.\d{1,6})?,"volume":\d+\}""")]
    private static partial Regex RowPattern();
}
