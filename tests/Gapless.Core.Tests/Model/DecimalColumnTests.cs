using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Gapless.Core.Model;

namespace Gapless.Core.Tests.Model;

public sealed class DecimalColumnTests
{
    private static decimal D(string s) => decimal.Parse(s, CultureInfo.InvariantCulture);

    private static string S(decimal? d) => d?.ToString(CultureInfo.InvariantCulture) ?? "null";

    private static DecimalColumn Build(params decimal?[] values)
    {
        var b = new DecimalColumnBuilder(1);
        foreach (var v in values)
        {
            b.Add(v);
        }

        return b.Build();
    }

    private static void AssertExact(decimal?[] expected, DecimalColumn column)
    {
        Assert.Equal(expected.Length, column.Count);
        Assert.Equal(expected.Select(S), Enumerable.Range(0, column.Count).Select(i => S(column[i])));
    }

    private static void AssertSameValues(decimal?[] expected, DecimalColumn column)
    {
        Assert.Equal(expected.Length, column.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i] == column[i], $"entry {i}: expected {S(expected[i])}, got {S(column[i])}");
        }
    }

    [Fact]
    public void Add_VendorText_ComesBackWithIdenticalText()
    {
        string[] texts = ["42000.01000000", "41999.99000000", "0.00000001", "100000.00000000", "-3.10000000"];
        var column = Build([.. texts.Select(t => (decimal?)D(t))]);
        Assert.True(column.IsScaled);
        Assert.Equal(8, column.Scale);
        Assert.Equal(texts, Enumerable.Range(0, column.Count).Select(i => S(column[i])));
        Assert.Equal([4_200_001_000_000L, 4_199_999_000_000L, 1L, 10_000_000_000_000L, -310_000_000L], column.Mantissas.ToArray());
    }

    [Fact]
    public void AddMantissas_VendorText_ComesBackWithIdenticalText()
    {
        var b = new DecimalColumnBuilder();
        b.AddMantissas([4_200_001_000_000L, 1L], 8);
        var column = b.Build();
        Assert.Equal(["42000.01000000", "0.00000001"], new[] { S(column[0]), S(column[1]) });
        Assert.Equal(D("42000.01000000"), column[0]);
    }

    [Fact]
    public void AddMantissas_MixedScales_KeepsEveryValue()
    {
        var b = new DecimalColumnBuilder(2);
        b.AddMantissas([15L, -7L], 1);          // 1.5, -0.7
        b.AddMantissas([4_200_001_000_000L], 8); // rescales what it holds to 8
        b.AddMantissas([3L, 12L], 0);           // scaled up to 8 on the way in
        b.Add(D("0.25"));
        b.AddMissing();
        b.AddMantissas([5L], 2);
        var column = b.Build();
        Assert.True(column.IsScaled);
        Assert.Equal(8, column.Scale);
        AssertSameValues([1.5m, -0.7m, 42000.01m, 3m, 12m, 0.25m, null, 0.05m], column);
        Assert.Equal("42000.01000000", S(column[2]));
    }

    [Fact]
    public void Add_MixedScales_ValuesExactAtWidestScale()
    {
        decimal?[] values = [D("1.5"), D("42000.01000000"), D("7"), D("-0.001"), D("2.50")];
        var column = Build(values);
        Assert.True(column.IsScaled);
        Assert.Equal(8, column.Scale);
        AssertSameValues(values, column);
        // The widest value keeps its text; the others are shown at the column's scale.
        Assert.Equal("42000.01000000", S(column[1]));
        Assert.Equal("1.50000000", S(column[0]));
    }

    [Fact]
    public void Add_Nulls_AreMissingEntries()
    {
        var column = Build(D("1.5"), null, D("2.25"), null);
        Assert.True(column.HasMissing);
        AssertExact([D("1.50"), null, D("2.25"), null], column);
        Assert.False(column.HasValue(1));
        Assert.True(column.HasValue(2));
        Assert.True(double.IsNaN(column.GetDouble(1)));
        Assert.Equal(2.25, column.GetDouble(2));
        var doubles = column.ToDoubles();
        Assert.Equal(4, doubles.Length);
        Assert.Equal(1.5, doubles[0]);
        Assert.True(double.IsNaN(doubles[1]));
        Assert.Equal(2.25, doubles[2]);
        Assert.True(double.IsNaN(doubles[3]));
    }

    [Fact]
    public void Add_NullFirstAndManyAfter_GrowsPresenceWithTheColumn()
    {
        var values = Enumerable.Range(0, 100).Select(i => i % 7 == 0 ? (decimal?)null : i * 0.01m).ToArray();
        var column = Build(values);
        Assert.True(column.HasMissing);
        AssertSameValues(values, column);
        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(values[i] is not null, column.HasValue(i));
        }
    }

    [Fact]
    public void Build_NoNulls_HasNoMissing()
    {
        var column = Build(1m, 2m);
        Assert.False(column.HasMissing);
        Assert.True(column.HasValue(0));
    }

    [Fact]
    public void Add_NullsInDecimalFallback_StayMissing()
    {
        var huge = decimal.MaxValue;
        var column = Build(null, D("1.5"), huge, null, D("-0.0000000000000000000000000001"));
        Assert.False(column.IsScaled);
        Assert.True(column.HasMissing);
        AssertExact([null, D("1.5"), huge, null, D("-0.0000000000000000000000000001")], column);
        Assert.True(double.IsNaN(column.GetDouble(0)));
        Assert.True(double.IsNaN(column.ToDoubles()[3]));
    }

    [Theory]
    [InlineData("79228162514264337593543950335")]
    [InlineData("-79228162514264337593543950335")]
    [InlineData("9223372036854775808")]
    [InlineData("12345678901234567890.5")]
    [InlineData("0.0000000000000000000000000001")]
    [InlineData("1.0000000000000000001")]
    public void Add_ValueBeyondLongMantissa_FallsBackToExactDecimals(string big)
    {
        decimal?[] values = [D("42000.01000000"), D("1"), D(big), D("0.5")];
        var column = Build(values);
        Assert.False(column.IsScaled);
        Assert.True(column.Mantissas.IsEmpty);
        Assert.Equal(big, S(column[2]));
        Assert.Equal("42000.01000000", S(column[0]));
        AssertSameValues(values, column);
    }

    [Fact]
    public void Add_RescaleWouldOverflow_FallsBackToExactDecimals()
    {
        // 9e17 fits a long at scale 0, but not at scale 2 (9e19 > 9.22e18).
        decimal?[] values = [900_000_000_000_000_000m, D("0.01")];
        var column = Build(values);
        Assert.False(column.IsScaled);
        AssertExact(values, column);
    }

    [Fact]
    public void AddMantissas_ThatOverflowAtColumnScale_FallBackToExactDecimals()
    {
        var b = new DecimalColumnBuilder();
        b.Add(D("0.00000001"));
        b.AddMantissas([long.MaxValue, -long.MaxValue, long.MinValue], 0);
        b.AddMantissas([long.MinValue], 8);
        var column = b.Build();
        Assert.False(column.IsScaled);
        AssertSameValues([D("0.00000001"), long.MaxValue, -long.MaxValue, long.MinValue, DecimalScaling.FromMantissa(long.MinValue, 8)], column);
    }

    [Fact]
    public void AddMantissas_LongMinValueThenWiderScale_DoesNotThrow()
    {
        // long.MinValue is a valid mantissa; rescaling it must fall back to decimals, not overflow in Math.Abs.
        var b = new DecimalColumnBuilder();
        b.AddMantissas([long.MinValue, 5L], 0);
        b.Add(D("0.5"));
        var column = b.Build();
        AssertSameValues([long.MinValue, 5m, 0.5m], column);
    }

    [Fact]
    public void Build_ThenAddMore_LeavesFirstColumnUnchanged()
    {
        var b = new DecimalColumnBuilder();
        b.Add(D("1"));
        b.Add(D("2"));
        var first = b.Build();
        b.Add(D("1.23"));     // rescales what the builder holds
        b.AddMissing();
        var second = b.Build();
        AssertExact([D("1"), D("2")], first);
        Assert.False(first.HasMissing);
        AssertSameValues([1m, 2m, 1.23m, null], second);
    }

    [Fact]
    public void From_List_MatchesBuilder()
    {
        decimal?[] values = [D("0.1"), null, D("0.30")];
        var column = DecimalColumn.From(values);
        AssertExact([D("0.10"), null, D("0.30")], column);
    }

    [Fact]
    public void FromMantissas_GuardsScaleAndCount()
    {
        Assert.Throws<ArgumentException>(() => DecimalColumn.FromMantissas([1, 2], 29, 2));
        Assert.Throws<ArgumentException>(() => DecimalColumn.FromMantissas([1, 2], -1, 2));
        Assert.Throws<ArgumentException>(() => DecimalColumn.FromMantissas([1, 2], 2, 3));
        var c = DecimalColumn.FromMantissas([150, 2, 99], 2, 2, [true, false, true]);
        AssertExact([D("1.50"), null], c);
        Assert.Equal(2, c.Mantissas.Length);
    }

    [Fact]
    public void Indexer_OutOfRange_Throws()
    {
        var c = Build(1m);
        Assert.Throws<ArgumentOutOfRangeException>(() => c[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => c[-1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => c.GetDouble(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => c.HasValue(1));
    }

    [Theory]
    [InlineData("42000.01000000")]
    [InlineData("0.1")]
    [InlineData("0.3")]
    [InlineData("1.1")]
    [InlineData("123456.789")]
    [InlineData("0.00000003")]
    [InlineData("-98765.4321")]
    [InlineData("9007199254740993")]
    [InlineData("0.000000000000000007")]
    public void ToDoubles_MatchDecimalConversion(string text)
    {
        var value = D(text);
        var column = Build(value);
        Assert.True(column.IsScaled);
        Assert.Equal((double)value, column.GetDouble(0));
        Assert.Equal((double)value, column.ToDoubles()[0]);
    }

    [Fact]
    public void ToDoubles_DecimalFallback_MatchesDecimalConversion()
    {
        decimal?[] values = [decimal.MaxValue, D("0.1"), D("0.0000000000000000000000000001")];
        var column = Build(values);
        Assert.False(column.IsScaled);
        Assert.Equal(values.Select(v => (double)v!.Value), column.ToDoubles());
        Assert.Equal(values.Select(v => (double)v!.Value), Enumerable.Range(0, 3).Select(column.GetDouble));
    }

    /// <summary>Random columns of decimals built from long mantissas and scales 0..12, with some missing entries.</summary>
    public sealed record ColumnCase(decimal?[] Values)
    {
        public override string ToString() => "[" + string.Join(", ", Values.Select(S)) + "]";
    }

    private static Gen<decimal?> Value(Gen<int> scale)
    {
        var mantissa = Gen.Frequency(
            (4, Gen.Choose(-1_000_000, 1_000_000).Select(x => (long)x)),
            (3, Gen.Choose(int.MinValue, int.MaxValue).Two().Select(p => ((long)p.Item1 << 32) | (uint)p.Item2)),
            (1, Gen.Elements(long.MinValue, long.MaxValue, 0L, -1L, 1L)));
        var present = from m in mantissa from s in scale select (decimal?)DecimalScaling.FromMantissa(m, s);
        return Gen.Frequency((9, present), (1, Gen.Constant((decimal?)null)));
    }

    private static Arbitrary<ColumnCase> Columns { get; } = Arb.From(
        from shared in Gen.Choose(0, 12)
        from mixed in Gen.Elements(true, false)
        let scale = mixed ? Gen.Choose(0, 12) : Gen.Constant(shared)
        from n in Gen.Choose(0, 40)
        from values in Gen.ArrayOf(Value(scale), n)
        select new ColumnCase(values));

    [Fact]
    public void Builder_RandomDecimals_RoundTripExactly()
        => Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(500),
            Prop.ForAll(Columns, c =>
            {
                var column = Build(c.Values);
                AssertSameValues(c.Values, column);
                Assert.Equal(c.Values.Any(v => v is null), column.HasMissing);
                var present = c.Values.Where(v => v is not null).Select(v => v!.Value).ToArray();
                if (present.Select(v => v.Scale).Distinct().Count() <= 1)
                {
                    // One scale in, same text out.
                    AssertExact(c.Values, column);
                }

                var doubles = column.ToDoubles();
                for (var i = 0; i < c.Values.Length; i++)
                {
                    var expected = c.Values[i] is { } v ? (double)column[i]!.Value : double.NaN;
                    Assert.Equal(expected, doubles[i]);
                    Assert.Equal(expected, column.GetDouble(i));
                }
            }));

    [Fact]
    public void AddMantissas_RandomBatches_RoundTripExactly()
        => Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(300),
            Prop.ForAll(Columns, c =>
            {
                // Feed runs of same-scale values as one bulk batch each; nulls and values whose mantissa
                // overflows a long go through the single-value path.
                var b = new DecimalColumnBuilder(1);
                var batch = new List<long>();
                var batchScale = -1;
                void Flush()
                {
                    if (batch.Count > 0)
                    {
                        b.AddMantissas(batch.ToArray(), batchScale);
                        batch.Clear();
                    }
                }

                foreach (var v in c.Values)
                {
                    if (v is { } d && DecimalScaling.TryToMantissa(d, d.Scale, out var m))
                    {
                        if (d.Scale != batchScale)
                        {
                            Flush();
                            batchScale = d.Scale;
                        }

                        batch.Add(m);
                        continue;
                    }

                    Flush();
                    b.Add(v);
                }

                Flush();
                AssertSameValues(c.Values, b.Build());
            }));
}
