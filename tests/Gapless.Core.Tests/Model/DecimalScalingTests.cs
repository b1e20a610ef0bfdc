using System.Globalization;
using Gapless.Core.Model;

namespace Gapless.Core.Tests.Model;

public sealed class DecimalScalingTests
{
    private static decimal D(string s) => decimal.Parse(s, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("42000.01000000", 8, 4_200_001_000_000L)]
    [InlineData("42000.01000000", 2, 4_200_001L)]
    [InlineData("42000.01", 8, 4_200_001_000_000L)]
    [InlineData("-0.5", 3, -500L)]
    [InlineData("0", 18, 0L)]
    [InlineData("9223372036854775807", 0, long.MaxValue)]
    [InlineData("-9223372036854775807", 0, -long.MaxValue)]
    [InlineData("0.000000000000000001", 18, 1L)]
    public void TryToMantissa_ExactValues_Succeed(string text, int scale, long expected)
    {
        Assert.True(DecimalScaling.TryToMantissa(D(text), scale, out var m));
        Assert.Equal(expected, m);
    }

    [Theory]
    [InlineData("42000.015", 2)]
    [InlineData("0.1", 0)]
    [InlineData("9223372036854775808", 0)]
    [InlineData("922337203685477580.8", 2)]
    [InlineData("1", 19)]
    [InlineData("1", -1)]
    [InlineData("1", 29)]
    public void TryToMantissa_InexactOrOverflowing_Fails(string text, int scale)
        => Assert.False(DecimalScaling.TryToMantissa(D(text), scale, out _));

    [Theory]
    [InlineData(4_200_001_000_000L, 8, "42000.01000000")]
    [InlineData(-1L, 2, "-0.01")]
    [InlineData(0L, 3, "0.000")]
    [InlineData(long.MaxValue, 0, "9223372036854775807")]
    [InlineData(long.MinValue, 0, "-9223372036854775808")]
    [InlineData(long.MinValue, 18, "-9.223372036854775808")]
    [InlineData(1L, 28, "0.0000000000000000000000000001")]
    public void FromMantissa_KeepsScaleAndSign(long mantissa, int scale, string expected)
        => Assert.Equal(expected, DecimalScaling.FromMantissa(mantissa, scale).ToString(CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("42000.0100", 2)]
    [InlineData("42000.01000000", 2)]
    [InlineData("100", 0)]
    [InlineData("1.000", 0)]
    [InlineData("0.00012300", 6)]
    [InlineData("-7.5", 1)]
    public void SignificantScale_DropsTrailingZeros(string text, int expected)
        => Assert.Equal(expected, DecimalScaling.SignificantScale(D(text)));

    [Fact]
    public void Pow10_AllPowersUpTo18()
    {
        long p = 1;
        for (var i = 0; i <= 18; i++)
        {
            Assert.Equal(p, DecimalScaling.Pow10(i));
            if (i < 18)
            {
                p *= 10;
            }
        }
    }
}
