using System.Globalization;
using Gapless.Core.Model;

namespace Gapless.Core.Tests.Model;

public sealed class BarFrameTests
{
    private const long Minute = 60_000;
    private const long T0 = 1_704_067_200_000; // 2024-01-01T00:00:00Z

    private static decimal D(string s) => decimal.Parse(s, CultureInfo.InvariantCulture);

    private static string S(decimal? d) => d?.ToString(CultureInfo.InvariantCulture) ?? "null";

    private static Bar Binance(long openMs, string open, string high, string low, string close, string volume, string quote, long trades)
        => new(openMs, D(open), D(high), D(low), D(close), D(volume), D(quote), trades);

    private static readonly Bar[] Klines =
    [
        Binance(T0, "42000.01000000", "42010.00000000", "41990.50000000", "42005.12000000", "12.34500000", "518405.12345678", 321),
        Binance(T0 + Minute, "42005.12000000", "42005.12000000", "41999.99000000", "42000.00000000", "0.00000000", "0.00000000", 0),
        Binance(T0 + (3 * Minute), "42000.00000000", "42100.00000000", "42000.00000000", "42099.99000000", "100.00000001", "4205000.00000420", 9_876_543_210),
    ];

    private static void AssertSameText(Bar expected, Bar actual)
    {
        Assert.Equal(expected.OpenTimeMs, actual.OpenTimeMs);
        Assert.Equal(S(expected.Open), S(actual.Open));
        Assert.Equal(S(expected.High), S(actual.High));
        Assert.Equal(S(expected.Low), S(actual.Low));
        Assert.Equal(S(expected.Close), S(actual.Close));
        Assert.Equal(S(expected.Volume), S(actual.Volume));
        Assert.Equal(S(expected.QuoteVolume), S(actual.QuoteVolume));
        Assert.Equal(expected.Trades, actual.Trades);
        Assert.Equal(S(expected.Vwap), S(actual.Vwap));
        Assert.Equal(expected.CutShortAtMs, actual.CutShortAtMs);
    }

    [Fact]
    public void FromBars_VendorText_ComesBackIdentical()
    {
        var frame = BarFrame.FromBars(Klines);
        Assert.Equal(Klines.Length, frame.Count);
        for (var i = 0; i < Klines.Length; i++)
        {
            AssertSameText(Klines[i], frame[i]);
            Assert.Equal(Klines[i], frame[i]);
        }

        Assert.Equal("42000.01000000", S(frame.Open[0]));
        Assert.Equal("42000.01000000", S(frame[0].Open));
        Assert.Equal([T0, T0 + Minute, T0 + (3 * Minute)], frame.OpenTimes.ToArray());
        Assert.Equal(Klines, frame.ToArray());
    }

    [Fact]
    public void FromBars_ColumnsHoldScaledMantissas()
    {
        var frame = BarFrame.FromBars(Klines);
        Assert.True(frame.Open.IsScaled);
        Assert.Equal(8, frame.Open.Scale);
        Assert.Equal([4_200_001_000_000L, 4_200_512_000_000L, 4_200_000_000_000L], frame.Open.Mantissas.ToArray());
        Assert.NotNull(frame.Trades);
        Assert.Equal(0, frame.Trades.Scale);
        Assert.Equal([321L, 0L, 9_876_543_210L], frame.Trades.Mantissas.ToArray());
        Assert.Null(frame.Vwap);
        Assert.Empty(frame.CutShortAt);
    }

    [Fact]
    public void Indexer_RoundTripsEveryOptionalField()
    {
        Bar[] bars =
        [
            new(T0, 1.5m, 2m, 1m, 1.75m, 10m, QuoteVolume: 17.5m, Trades: 4, Vwap: 1.75m, CutShortAtMs: T0 + 30_000),
            new(T0 + Minute, 1.75m, 1.8m, 1.7m, 1.8m, 0m),
            new(T0 + (2 * Minute), 1.8m, 1.9m, 1.6m, 1.6m, 3m, QuoteVolume: null, Trades: long.MaxValue, Vwap: null, CutShortAtMs: T0 + (2 * Minute) + 1),
            new(T0 + (3 * Minute), 1.6m, 1.6m, 1.6m, 1.6m, 0.001m, QuoteVolume: 0.0016m, Trades: null, Vwap: 1.6m),
            new(-Minute, 1m, 1m, 1m, 1m, 1m, Trades: long.MinValue, CutShortAtMs: -1),
        ];
        Array.Sort(bars, (x, y) => x.OpenTimeMs.CompareTo(y.OpenTimeMs));
        var frame = BarFrame.FromBars(bars);
        for (var i = 0; i < bars.Length; i++)
        {
            Assert.Equal(bars[i], frame[i]);
        }

        Assert.NotNull(frame.QuoteVolume);
        Assert.True(frame.QuoteVolume.HasMissing);
        Assert.Null(frame.QuoteVolume[0]);
        Assert.NotNull(frame.Trades);
        Assert.True(frame.Trades.HasMissing);
        Assert.Equal(
            new Dictionary<long, long> { [-Minute] = -1, [T0] = T0 + 30_000, [T0 + (2 * Minute)] = T0 + (2 * Minute) + 1 },
            frame.CutShortAt);
    }

    [Fact]
    public void FromBars_NoOptionalFields_LeavesOptionalColumnsNull()
    {
        var frame = BarFrame.FromBars([new Bar(T0, 1m, 1m, 1m, 1m, 1m), new Bar(T0 + Minute, 2m, 2m, 2m, 2m, 2m)]);
        Assert.Null(frame.QuoteVolume);
        Assert.Null(frame.Trades);
        Assert.Null(frame.Vwap);
        Assert.Empty(frame.CutShortAt);
        Assert.Equal(new Bar(T0 + Minute, 2m, 2m, 2m, 2m, 2m), frame[1]);
    }

    [Fact]
    public void FromBars_Unsorted_IsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => BarFrame.FromBars([Klines[1], Klines[0]]));
        Assert.Equal("bars", ex.ParamName);
        Assert.Contains("index 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromBars_DuplicateOpenTime_IsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => BarFrame.FromBars([Klines[0], Klines[1], Klines[1] with { Close = 1m }]));
        Assert.Contains("index 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_HasNoBars()
    {
        Assert.Empty(BarFrame.Empty);
        Assert.True(BarFrame.Empty.OpenTimes.IsEmpty);
        Assert.Throws<ArgumentOutOfRangeException>(() => BarFrame.Empty[0]);
    }

    [Fact]
    public void Indexer_OutOfRange_Throws()
    {
        var frame = BarFrame.FromBars(Klines);
        Assert.Throws<ArgumentOutOfRangeException>(() => frame[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => frame[-1]);
    }

    [Fact]
    public void Constructor_ColumnOfWrongLength_IsRejected()
    {
        var two = DecimalColumn.From([1m, 2m]);
        var three = DecimalColumn.From([1m, 2m, 3m]);
        Assert.Throws<ArgumentException>(() => new BarFrame(2, [T0, T0 + Minute], two, two, two, two, three));
        Assert.Throws<ArgumentException>(() => new BarFrame(3, [T0, T0 + Minute], three, three, three, three, three));
        Assert.Throws<ArgumentException>(() => new BarFrame(2, [T0, T0 + Minute], two, two, two, two, two, vwap: three));
    }

    [Fact]
    public void Constructor_FromMantissaColumns_ReadsBackVendorText()
    {
        // The segment-decode path: columns built from mantissas in bulk.
        static DecimalColumn Col(params long[] m)
        {
            var b = new DecimalColumnBuilder();
            b.AddMantissas(m, 8);
            return b.Build();
        }

        var frame = new BarFrame(
            2,
            [T0, T0 + Minute],
            Col(4_200_001_000_000, 4_200_512_000_000),
            Col(4_201_000_000_000, 4_200_512_000_000),
            Col(4_199_050_000_000, 4_199_999_000_000),
            Col(4_200_512_000_000, 4_200_000_000_000),
            Col(1_234_500_000, 0));
        AssertSameText(new Bar(T0, D("42000.01000000"), D("42010.00000000"), D("41990.50000000"), D("42005.12000000"), D("12.34500000")), frame[0]);
        AssertSameText(new Bar(T0 + Minute, D("42005.12000000"), D("42005.12000000"), D("41999.99000000"), D("42000.00000000"), D("0.00000000")), frame[1]);
    }

    [Fact]
    public void Columns_ToDoubles_MatchDecimalConversion()
    {
        var frame = BarFrame.FromBars(Klines);
        Assert.Equal(Klines.Select(b => (double)b.Close), frame.Close.ToDoubles());
        Assert.Equal(Klines.Select(b => (double)b.Volume), frame.Volume.ToDoubles());
        Assert.Equal(Klines.Select(b => (double)b.QuoteVolume!.Value), frame.QuoteVolume!.ToDoubles());
    }
}
