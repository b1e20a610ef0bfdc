using System.Net;
using System.Text;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Providers.Binance;

namespace Gapless.Providers.Tests.Binance;

public class BinanceProviderPagingTests
{
    [Fact]
    public async Task Fetch_FullPageEndingBeforeTheChunksLastBar_AsksForTheRest()
    {
        // An off-grid kline makes four klines in three grid slots; a limit=3 answer would silently drop the last.
        var t = UtcTime.ToEpochMs(BinanceRig.Jan1);
        var handler = new CannedBinance(
            """{"rateLimits":[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000}]}""",
            $"[{Kline(t)},{Kline(t + 30_000)},{Kline(t + 60_000)}]",
            $"[{Kline(t + 120_000)}]");
        using var http = new HttpClient(handler);
        using var provider = new BinanceProvider(http, new BinanceOptions { BaseUrl = new Uri("http://127.0.0.1:9") }, TimeProvider.System);

        var bars = await provider.FetchAsync(BinanceRig.Btc(), new TimeRange(t, t + 180_000), new VendorCallLog());

        Assert.Equal([t, t + 30_000, t + 60_000, t + 120_000], bars.Select(b => b.OpenTimeMs));
        Assert.Equal(
            [
                "/api/v3/exchangeInfo?symbol=BTCUSDT",
                $"/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime={t}&endTime={t + 179_999}&limit=3",
                $"/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime={t + 60_001}&endTime={t + 179_999}&limit=1",
            ],
            handler.Requests);
    }

    private static string Kline(long open)
        => $"""[{open},"1.00000000","2.00000000","0.50000000","1.50000000","1.00000000",{Timeframe.M1.CloseOf(Timeframe.M1.Floor(open)) - 1},"1.00000000",1,"0.5","0.5","0"]""";

    /// <summary>Answers each request with the next canned body, recording what was asked.</summary>
    private sealed class CannedBinance(params string[] bodies) : HttpMessageHandler
    {
        private int _next;

        public List<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!.PathAndQuery);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(bodies[_next++], Encoding.UTF8, "application/json"),
            });
        }
    }
}
