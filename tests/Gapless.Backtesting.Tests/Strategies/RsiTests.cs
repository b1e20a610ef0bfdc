using Gapless.Backtesting.Strategies;
using Gapless.Backtesting.Strategies.Indicators;
using Gapless.Core.Model;
using static Gapless.Backtesting.Tests.TestBars;

namespace Gapless.Backtesting.Tests.Strategies;

public sealed class RsiTests
{
    // StockCharts' ChartSchool RSI worksheet: 33 closes and the 14-period RSI it publishes (2 decimals) from the 15th on.
    private static readonly double[] WorksheetCloses =
    [
        44.3389, 44.0902, 44.1497, 43.6124, 44.3278, 44.8264, 45.0955, 45.4245, 45.8433, 46.0826, 45.8931, 46.0328,
        45.6140, 46.2820, 46.2820, 46.0028, 46.0328, 46.4116, 46.2222, 45.6439, 46.2122, 46.2521, 45.7137, 46.4515,
        45.7835, 45.3548, 44.0288, 44.1783, 44.2181, 44.5672, 43.4205, 42.6628, 43.1314,
    ];

    private static readonly double[] WorksheetRsi =
    [
        70.53, 66.32, 66.55, 69.41, 66.36, 57.97, 62.93, 63.26, 56.06, 62.38, 54.71, 50.42, 39.99, 41.46, 41.87, 45.46,
        37.30, 33.08, 37.77,
    ];

    /// <summary>
    /// Wilder's RSI written out plainly over whole arrays, independently of the indicator: gains and losses of each
    /// change; the first averages are the means of the first <paramref name="n"/>; then avg = (avg × (n − 1) + x) / n.
    /// </summary>
    private static double[] ReferenceRsi(double[] closes, int n)
    {
        var rsi = Enumerable.Repeat(double.NaN, closes.Length).ToArray();
        var gains = new double[closes.Length];
        var losses = new double[closes.Length];
        for (var i = 1; i < closes.Length; i++)
        {
            gains[i] = Math.Max(closes[i] - closes[i - 1], 0);
            losses[i] = Math.Max(closes[i - 1] - closes[i], 0);
        }

        double avgGain = gains.Skip(1).Take(n).Average(), avgLoss = losses.Skip(1).Take(n).Average();
        for (var i = n; i < closes.Length; i++)
        {
            if (i > n)
            {
                avgGain = ((avgGain * (n - 1)) + gains[i]) / n;
                avgLoss = ((avgLoss * (n - 1)) + losses[i]) / n;
            }

            rsi[i] = avgLoss == 0 ? 100 : 100 * avgGain / (avgGain + avgLoss); // = 100 − 100 / (1 + RS)
        }

        return rsi;
    }

    [Fact]
    public void WilderRsi_MatchesTheIndependentReference_AndThePublishedWorksheet()
    {
        var reference = ReferenceRsi(WorksheetCloses, 14);
        var rsi = new WilderRsi(14);
        var values = WorksheetCloses.Select(rsi.Add).ToArray();

        Assert.All(values.Take(14), v => Assert.True(double.IsNaN(v)));
        for (var i = 14; i < values.Length; i++)
        {
            Assert.Equal(reference[i], values[i], 1e-9);
            Assert.Equal(WorksheetRsi[i - 14], values[i], 0.006);
        }
    }

    [Fact]
    public void WilderRsi_FlatThenRising_Is50Then100()
    {
        var rsi = new WilderRsi(2);
        Assert.Equal([double.NaN, double.NaN, 50, 100], new[] { 5.0, 5, 5, 6 }.Select(rsi.Add));
    }

    [Fact]
    public void RsiReversion_BuysBelowLow_ExitsAboveHigh()
    {
        // RSI(3) of these closes (reference above): bar 3 66.67, 4 44.44, 5 29.63 (< 30: buy), 6 19.75 (already in),
        // 7 46.50, 8 64.33, 9 76.22 (> 70: exit), 10 84.15, 11 89.43, 12 59.62, 13 39.75.
        decimal[] closes = [10, 11, 12, 11, 10, 9, 8, 9, 10, 11, 12, 13, 12, 11];
        var reference = ReferenceRsi(closes.Select(c => (double)c).ToArray(), 3);
        Assert.Equal(29.63, reference[5], 0.005);
        Assert.Equal(76.22, reference[9], 0.005);
        var strategy = BuiltInStrategies.Create("rsi-reversion", new Dictionary<string, string> { ["period"] = "3", ["qty"] = "1" });

        var result = BacktestEngine.Run(strategy, "X", Timeframe.H1, FromCloses(Hour, closes));

        Assert.Equal([(OrderSide.Buy, CloseOf(5)), (OrderSide.Sell, CloseOf(9))], result.Orders.Select(o => (o.Side, o.PlacedAtMs)));
        var trade = Assert.Single(result.Trades);
        Assert.Equal((9.0, 11.0), (trade.EntryPrice, trade.ExitPrice)); // bar 6 opens at 9, bar 10 at 11
        Assert.Equal(3, strategy.WarmupBars);
    }
}
