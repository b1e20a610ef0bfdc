using System.Globalization;
using Gapless.Core.Model;
using Gapless.Storage.Sqlite.Segments;
using Gapless.Testing;
using Gapless.Testing.Storage;

namespace Gapless.Storage.Sqlite.Tests.Segments;

public sealed class SegmentCodecTests
{
    private const long T0 = 1_704_067_200_000;
    private const long Minute = 60_000;
    private static readonly TimeRange Everything = new(long.MinValue, long.MaxValue);

    [Theory]
    [InlineData(SegmentCompression.None)]
    [InlineData(SegmentCompression.Deflate)]
    [InlineData(SegmentCompression.Brotli)]
    public void RoundTrip_BtcLikeDay_IsExactWithTrailingZeros(SegmentCompression compression)
    {
        var bars = SampleBars.BtcLike(T0, 1440, seed: 4);

        var frame = RoundTrip(bars, compression);

        AssertExact(bars, frame);
        Assert.Equal("42000.01000000", frame[0].Open.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(8, frame.Close.Scale);
    }

    [Fact]
    public void RoundTrip_RegularDay_CostsAlmostNothingForTime()
    {
        var regular = SampleBars.BtcLike(T0, 1440, seed: 4);
        var irregular = regular.Select((b, i) => b with { OpenTimeMs = b.OpenTimeMs + (i % 3) }).ToArray();

        var regularSize = SegmentEncoder.Encode(regular, SegmentCompression.None).Length;
        var irregularSize = SegmentEncoder.Encode(irregular, SegmentCompression.None).Length;

        Assert.True(irregularSize - regularSize > 1440, $"irregular times should cost bytes ({irregularSize} vs {regularSize})");
        Assert.True(regularSize < 1440 * 20, $"a BTC-like day took {regularSize} bytes");
    }

    [Fact]
    public void RoundTrip_IrregularTimestamps_AreExact()
    {
        long[] times = [-5_000, 0, 1, 2, 3, 1_000, 1_001, 999_999_999_999, 1_000_000_000_000, 1_000_000_000_001];
        var bars = times.Select((t, i) => SampleBars.Simple(t, 10m + i)).ToArray();

        AssertExact(bars, RoundTrip(bars));
    }

    [Fact]
    public void RoundTrip_MixedOptionalColumnsAndCutShort_KeepNullsAndCloseTimes()
    {
        var bars = Enumerable.Range(0, 40).Select(i => new Bar(
            T0 + (i * Minute),
            10m + i,
            12m + i,
            9m + i,
            11m + i,
            0.5m * i,
            i % 3 == 0 ? null : 100.25m * i,
            i % 4 == 1 ? null : i * 7,
            i % 5 == 2 ? 10.125m + i : null,
            i % 13 == 0 ? T0 + (i * Minute) + 1_234 : null)).ToArray();

        var frame = RoundTrip(bars);

        AssertExact(bars, frame);
        Assert.True(frame.QuoteVolume!.HasMissing);
        Assert.Equal(4, frame.CutShortAt.Count);
    }

    [Fact]
    public void RoundTrip_AbsentOptionalColumns_AreNullColumns()
    {
        var bars = Enumerable.Range(0, 5).Select(i => new Bar(T0 + (i * Minute), 1m, 2m, 0.5m, 1.5m, 3m)).ToArray();

        var frame = RoundTrip(bars);

        AssertExact(bars, frame);
        Assert.Null(frame.QuoteVolume);
        Assert.Null(frame.Trades);
        Assert.Null(frame.Vwap);
    }

    [Fact]
    public void RoundTrip_NegativeValuesAndInvertedBars_AreExact()
    {
        // High below low and negative prices: bad bars, but the codec must not care.
        Bar[] bars =
        [
            new(T0, -1.25m, -2.50m, 3.75m, -0.01m, -7m, -1m, -3, -0.5m),
            new(T0 + Minute, 0m, 0m, 0m, 0m, 0m, 0m, 0, 0m),
            new(T0 + (2 * Minute), -99999999.99999999m, 5m, 6m, 99999999.99999999m, 1e-8m, 0.1m, long.MinValue, -1m),
            new(T0 + (3 * Minute), 1m, 1m, 1m, 1m, 1m, 1m, long.MaxValue, 1m),
        ];

        AssertExact(bars, RoundTrip(bars), sameText: false);
    }

    [Fact]
    public void RoundTrip_ValuesBeyondALongMantissa_UseTheDecimalFallback()
    {
        Bar[] bars =
        [
            new(T0, decimal.MaxValue, decimal.MaxValue, decimal.MinValue, 1m, 0.0000000000000000000000000001m, 1e-20m, 1, 79228162514264.337593543950335m),
            new(T0 + Minute, 2m, 3m, 1m, 2.5m, 1m, 1m, 2, 1m),
            new(T0 + (2 * Minute), 9_223_372_036_854_775_808m, 1m, 0m, 1.123456789012345678901234m, 5m, 5m, 3, 2m),
        ];

        AssertExact(bars, RoundTrip(bars), sameText: false);

        // A column that falls back keeps each value's own digits when every value has the same scale.
        Bar[] uniform = [new(T0, 1.1000000000000000000000000000m, 1m, 1m, 1m, 1m), new(T0 + Minute, 2.2000000000000000000000000000m, 1m, 1m, 1m, 1m)];
        AssertExact(uniform, RoundTrip(uniform));
        Assert.False(RoundTrip(uniform).Open.IsScaled);
    }

    [Fact]
    public void RoundTrip_MixedScalesInOneColumn_KeepValues()
    {
        Bar[] bars =
        [
            new(T0, 1.5m, 2m, 1m, 1.50m, 1m),
            new(T0 + Minute, 1.50000m, 2.0m, 1.000m, 1.5m, 2.00m),
        ];

        var frame = RoundTrip(bars);

        Assert.Equal(bars, frame.ToArray());
        Assert.Equal(5, frame.Open.Scale);
    }

    [Fact]
    public void RoundTrip_EmptySegment_IsAnEmptyFrame()
    {
        var blob = SegmentEncoder.Encode([], SegmentCompression.Brotli);

        Assert.Equal(0, SegmentDecoder.PeekCount(blob));
        Assert.Empty(FrameAssembler.Build([(blob, 0)], Everything, parallel: false));
    }

    [Fact]
    public void Decode_ManySegmentsInParallel_MatchesSequential()
    {
        var bars = SampleBars.BtcLike(T0, 10 * 1440, seed: 8);
        var blobs = Enumerable.Range(0, 10)
            .Select(d => (SegmentEncoder.Encode(bars.AsSpan(d * 1440, 1440), SegmentCompression.None), 1440)).ToList();

        AssertExact(bars, FrameAssembler.Build(blobs, Everything, parallel: true));
        var from = bars[1500].OpenTimeMs;
        var to = bars[8000].OpenTimeMs;
        AssertExact(bars[1500..8000], FrameAssembler.Build(blobs, new TimeRange(from, to), parallel: true));
    }

    [Fact]
    public void Decode_DamagedBlob_ThrowsFormatException()
    {
        var blob = SegmentEncoder.Encode(SampleBars.BtcLike(T0, 100), SegmentCompression.None);

        Assert.Throws<FormatException>(() => FrameAssembler.Build([(blob[..(blob.Length / 2)], 100)], Everything, parallel: false));
        Assert.Throws<FormatException>(() => FrameAssembler.Build([(blob, 99)], Everything, parallel: false));
        var future = (byte[])blob.Clone();
        future[0] = 99;
        var error = Assert.Throws<FormatException>(() => FrameAssembler.Build([(future, 100)], Everything, parallel: false));
        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(17)]
    [InlineData(130)]
    [InlineData(1000)]
    public void RoundTrip_UniformColumns_WithSharedAndUnsharedTrailingZeros_AreExact(int count)
    {
        // One scale per column (the one-pass path), values whose common power of ten drops at a random bar,
        // signs mixed, lengths that are and are not multiples of the vector width.
        var random = new Random(count);
        for (var round = 0; round < 20; round++)
        {
            var zeros = random.Next(0, 9);
            var breakAt = random.Next(0, count + 1);
            decimal Value(int i, int scale)
            {
                var m = (long)random.Next(0, 1_000_000) * DecimalScaling.Pow10(i < breakAt ? zeros : 0);
                m = random.Next(4) == 0 ? -m : m;
                return new decimal((int)(uint)Math.Abs(m), (int)(uint)(Math.Abs(m) >> 32), 0, m < 0, (byte)scale);
            }

            var bars = new Bar[count];
            for (var i = 0; i < count; i++)
            {
                bars[i] = new Bar(
                    T0 + (i * Minute), Value(i, 8), Value(i, 8), Value(i, 8), Value(i, 8), Value(i, 5), Value(i, 10),
                    round % 3 == 0 ? null : random.NextInt64(long.MinValue, long.MaxValue), round % 2 == 0 ? null : Value(i, 18));
            }

            AssertExact(bars, RoundTrip(bars));
        }
    }

    [Fact]
    public void RoundTrip_MantissasAtTheLongLimit_AreExact()
    {
        // 2^63 − 1 fits a long mantissa, 2^63 does not (decimal fallback); both at one scale per column.
        Bar[] bars =
        [
            new(T0, 922337203685477580.7m, 1m, -922337203685477580.7m, 1m, 9223372036854775807m, -9223372036854775807m, long.MaxValue, 0.9223372036854775807m),
            new(T0 + Minute, 0.1m, 1m, 0.0m, 2m, 1m, 1m, long.MinValue, 0.0000000000000000001m),
        ];
        AssertExact(bars, RoundTrip(bars), sameText: false);

        Bar[] over = [new(T0, 922337203685477580.8m, 1m, 1m, 1m, 1m), new(T0 + Minute, 1.0m, 1m, 1m, 1m, 1m)];
        AssertExact(over, RoundTrip(over), sameText: false);
    }

    private static BarFrame RoundTrip(Bar[] bars, SegmentCompression compression = SegmentCompression.None)
    {
        var blob = SegmentEncoder.Encode(bars, compression);
        return FrameAssembler.Build([(blob, bars.Length)], Everything, parallel: false);
    }

    /// <summary>
    /// Records equal, and with <paramref name="sameText"/> every decimal written the same. A frame column has one
    /// scale (Core's DecimalColumn), so a column mixing scales comes back at its largest: equal values, more zeros.
    /// </summary>
    private static void AssertExact(Bar[] expected, BarFrame actual, bool sameText = true)
    {
        BarAssert.Equal(expected, actual, sameText);
    }

}
