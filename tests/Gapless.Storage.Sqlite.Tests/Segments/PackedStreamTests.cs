using Gapless.Storage.Sqlite.Segments;

namespace Gapless.Storage.Sqlite.Tests.Segments;

public sealed class PackedStreamTests
{
    public static TheoryData<string> Shapes => ["constant", "ramp", "random", "extremes", "wide", "single", "block+1", "tiny"];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void RoundTrip_AnyLongs_AreExact(string shape)
    {
        var values = Values(shape);

        Assert.Equal(values, RoundTrip(values));
    }

    [Fact]
    public void RegularSeries_PacksToAlmostNothing()
    {
        var ramp = Enumerable.Range(0, 1024).Select(i => 1_700_000_000_000L + (i * 60_000L)).ToArray();

        var sink = new ByteSink(64);
        PackedStream.Write(ramp, sink);

        // Eight delta blocks of width 0: a header, the first value and the delta each.
        Assert.True(sink.Length < 8 * 12, $"{sink.Length} bytes");
    }

    [Fact]
    public void Residuals_OfAFixedMultipleOfVolumeTimesPrice_CostAFewBitsAndStayExact()
    {
        var random = new Random(3);
        var n = 1000;
        var volume = new long[n];
        var open = new long[n];
        var close = new long[n];
        var quote = new long[n];
        for (var i = 0; i < n; i++)
        {
            volume[i] = random.NextInt64(1, 50_000_000);
            open[i] = 4_200_000 + random.Next(-50_000, 50_000);
            close[i] = open[i] + random.Next(-3_000, 3_000);
            quote[i] = (long)Math.Round(volume[i] * ((open[i] + close[i]) / 2.0) * 1.0000013);
        }

        var withPredictor = new ByteSink(64);
        PackedStream.Write(quote, withPredictor, volume, open, close);
        var plain = new ByteSink(64);
        PackedStream.Write(quote, plain);

        Assert.Equal(quote, Read(withPredictor, n, volume, open, close));
        Assert.True(withPredictor.Length * 3 < plain.Length, $"{withPredictor.Length} vs {plain.Length} bytes");
    }

    [Fact]
    public void Residuals_WithPredictorsNearTheLongLimits_StayExact()
    {
        long[] volume = [long.MaxValue, long.MinValue, 0, 1, -1, 3_000_000_000, 7];
        long[] open = [long.MaxValue, 5, long.MinValue, 0, -1, 3_000_000_000, 1];
        long[] close = [long.MaxValue, long.MinValue, 1, 0, 2, 3_000_000_000, 1];
        long[] quote = [1, long.MaxValue, long.MinValue, 0, -5, long.MaxValue, 14];

        var sink = new ByteSink(64);
        PackedStream.Write(quote, sink, volume, open, close);

        Assert.Equal(quote, Read(sink, quote.Length, volume, open, close));
    }

    [Fact]
    public void Read_OfATruncatedStream_ThrowsFormatException()
    {
        var values = Values("random");
        var sink = new ByteSink(64);
        PackedStream.Write(values, sink);
        var bytes = sink.Written.ToArray();

        Assert.Throws<FormatException>(() =>
        {
            var pos = 0;
            PackedStream.Read(bytes.AsSpan(0, bytes.Length - 3), ref pos, new long[values.Length]);
        });
    }

    private static long[] RoundTrip(long[] values)
    {
        var sink = new ByteSink(64);
        PackedStream.Write(values, sink);
        return Read(sink, values.Length);
    }

    private static long[] Read(ByteSink sink, int count, long[]? volume = null, long[]? open = null, long[]? close = null)
    {
        // Exactly the written bytes, no slack after them: the decoder must not read past the end.
        var bytes = sink.Written.ToArray();
        var result = new long[count];
        var pos = 0;
        PackedStream.Read(bytes, ref pos, result, volume, open, close);
        Assert.Equal(bytes.Length, pos);
        return result;
    }

    private static long[] Values(string shape)
    {
        var random = new Random(shape.Length);
        return shape switch
        {
            "constant" => Enumerable.Repeat(-42L, 300).ToArray(),
            "ramp" => Enumerable.Range(0, 300).Select(i => 5_000L + (i * 7L)).ToArray(),
            "random" => Enumerable.Range(0, 1000).Select(_ => random.NextInt64(-1_000_000, 1_000_000)).ToArray(),
            "extremes" => Enumerable.Range(0, 260).Select(i => (i % 3) switch { 0 => long.MinValue, 1 => long.MaxValue, _ => 0L }).ToArray(),
            "wide" => Enumerable.Range(0, 200).Select(_ => random.NextInt64(long.MinValue, long.MaxValue) >> random.Next(0, 8)).ToArray(),
            "single" => [123_456_789_012L],
            "block+1" => Enumerable.Range(0, SegmentFormat.BlockSize + 1).Select(i => (long)(i * i) - 300).ToArray(),
            _ => [0L, 1L],
        };
    }
}
