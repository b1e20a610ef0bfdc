using Gapless.Backtesting.Engine;
using Gapless.Backtesting.Strategies;
using Gapless.Core.Model;
using static Gapless.Backtesting.Tests.TestBars;

namespace Gapless.Backtesting.Tests.Engine;

/// <summary>Two paths that must agree: the one-series fast loop and the merged loop; the block converter and Core's.</summary>
public sealed class ConvergenceTests
{
    private static BarFrame Walk(int count, int seed)
    {
        var random = new Random(seed);
        var price = 100m;
        var bars = new Bar[count];
        for (var i = 0; i < count; i++)
        {
            var open = price;
            price = Math.Max(1m, Math.Round(price * (1 + (decimal)((random.NextDouble() - 0.5) * 0.01)), 2));
            bars[i] = new Bar(T0 + (i * 60_000L), open, Math.Max(open, price) + 0.05m, Math.Min(open, price) - 0.05m, price, 1.5m);
        }

        return BarFrame.FromBars(bars);
    }

    /// <summary>Runs the inner strategy on series 0 only.</summary>
    private sealed class FirstSeriesOnly(IStrategy inner) : IStrategy
    {
        public int WarmupBars => inner.WarmupBars;

        public void Initialize(IReadOnlyList<string> symbols) => inner.Initialize([symbols[0]]);

        public void OnBar(in BarEvent bar, StrategyContext context)
        {
            if (bar.SeriesIndex == 0)
            {
                inner.OnBar(bar, context);
            }
        }
    }

    [Fact]
    public void OneSeries_FastLoop_AgreesWithTheMergedLoop_AcrossConversionBlocks()
    {
        // 10,000 bars span three conversion blocks of 4,096; the warm-up ends inside the first.
        var a = Walk(10_000, 1);
        var b = Walk(10_000, 2);
        var options = new BacktestOptions { CommissionBps = 7, FeePerOrder = 0.5, SlippageBps = 2, Range = new TimeRange(T0 + (100 * 60_000L), T0 + (9_990 * 60_000L)) };
        var strategy = new FirstSeriesOnly(BuiltInStrategies.Create("sma-cross", new Dictionary<string, string> { ["fast"] = "5", ["slow"] = "40" }));

        var alone = BacktestEngine.Run(strategy, [new BacktestSeries("A", Timeframe.M1, a)], options);
        var merged = BacktestEngine.Run(strategy, [new BacktestSeries("A", Timeframe.M1, a), new BacktestSeries("B", Timeframe.M1, b)], options);

        Assert.True(alone.Trades.Count > 50);
        Assert.Equal(9_890, alone.Equity.Count);
        Assert.Equal(alone.Fills, merged.Fills);
        Assert.Equal(alone.Trades, merged.Trades);
        Assert.Equal(alone.Equity.ToArray(), merged.Equity.ToArray());
        Assert.Equal(alone.Metrics with { Steps = 0 }, merged.Metrics with { Steps = 0 });
    }

    [Fact]
    public void FastLoop_SeesEveryBarOnce_InOrder_AcrossBlocks()
    {
        var frame = Walk(9_000, 3);
        var strategy = new ScriptedStrategy();

        BacktestEngine.Run(strategy, "A", Timeframe.M1, frame);

        Assert.Equal(frame.OpenTimes.ToArray(), strategy.Seen.Select(s => s.Bar.OpenTimeMs));
        Assert.Equal(frame.Close.ToDoubles(), strategy.Seen.Select(s => s.Bar.Close));
        Assert.Equal(frame.Open.ToDoubles(), strategy.Seen.Select(s => s.Bar.Open));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(8)]
    [InlineData(12)]
    [InlineData(18)]
    public void BlockConversion_IsBitForBitCoresToDoubles(int scale)
    {
        var random = new Random(scale);
        var mantissas = new long[1_003];
        for (var i = 0; i < mantissas.Length; i++)
        {
            mantissas[i] = (i % 97) switch
            {
                0 => long.MaxValue - i, // beyond 2^51: the scalar path
                1 => -(1L << 51) - i,
                2 => (1L << 51) - 1,
                3 => -(1L << 51),
                _ => random.NextInt64(-(1L << 51) + 1, 1L << 51) >> random.Next(0, 40),
            };
        }

        var column = DecimalColumn.FromMantissas(mantissas, scale, mantissas.Length);
        AssertSameBits(column.ToDoubles(), Convert(column, 0, column.Count));
        AssertSameBits(column.ToDoubles()[5..500], Convert(column, 5, 495));
    }

    [Fact]
    public void BlockConversion_OfDecimalsAndMissingValues_IsCoresToo()
    {
        var decimals = DecimalColumn.From([1.5m, null, 79228162514264337593543950335m, 0.1m, -3m]);
        var missing = DecimalColumn.From([0.3m, null, 7m, 8m, 9m, 10m]);

        AssertSameBits(decimals.ToDoubles(), Convert(decimals, 0, decimals.Count));
        AssertSameBits(missing.ToDoubles(), Convert(missing, 0, missing.Count));
    }

    private static double[] Convert(DecimalColumn column, int start, int count)
    {
        var result = new double[count];
        Columns.Convert(column, start, result);
        return result;
    }

    private static void AssertSameBits(double[] expected, double[] actual)
        => Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), actual.Select(BitConverter.DoubleToInt64Bits));
}
