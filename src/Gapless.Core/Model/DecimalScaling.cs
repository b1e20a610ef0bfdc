namespace Gapless.Core.Model;

/// <summary>Exact conversions between <see cref="decimal"/> and (64-bit mantissa, decimal scale) pairs.</summary>
public static class DecimalScaling
{
    /// <summary>The largest scale a decimal can carry.</summary>
    public const int MaxScale = 28;

    private static readonly long[] PowersOf10 = BuildPowers();

    /// <summary>10^n for n in 0..18.</summary>
    public static long Pow10(int n) => PowersOf10[n];

    /// <summary>The scale of <paramref name="value"/> once trailing zeros are dropped (42000.0100 → 2).</summary>
    public static int SignificantScale(decimal value)
    {
        var scale = value.Scale;
        if (scale == 0)
        {
            return 0;
        }

        var m = value;
        // Strip trailing zeros by dividing the unscaled integer while it stays exact.
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(m, bits);
        var mantissa = new UInt128((uint)bits[2], ((ulong)(uint)bits[1] << 32) | (uint)bits[0]);
        while (scale > 0 && mantissa % 10 == 0)
        {
            mantissa /= 10;
            scale--;
        }

        return scale;
    }

    /// <summary>
    /// The integer <c>value × 10^scale</c> when it is exact and fits in a long; false when <paramref name="value"/>
    /// has more digits after the point than <paramref name="scale"/> or the result overflows.
    /// </summary>
    public static bool TryToMantissa(decimal value, int scale, out long mantissa)
    {
        mantissa = 0;
        if (scale is < 0 or > MaxScale)
        {
            return false;
        }

        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var valueScale = (bits[3] >> 16) & 0xFF;
        var negative = bits[3] < 0;
        var raw = new UInt128((uint)bits[2], ((ulong)(uint)bits[1] << 32) | (uint)bits[0]);
        if (valueScale > scale)
        {
            var divisor = UInt128.One;
            for (var i = 0; i < valueScale - scale; i++)
            {
                divisor *= 10;
            }

            if (raw % divisor != 0)
            {
                return false;
            }

            raw /= divisor;
        }
        else
        {
            for (var i = 0; i < scale - valueScale; i++)
            {
                raw *= 10;
                if (raw > long.MaxValue)
                {
                    return false;
                }
            }
        }

        if (raw > long.MaxValue)
        {
            return false;
        }

        mantissa = negative ? -(long)raw : (long)raw;
        return true;
    }

    /// <summary>The decimal <c>mantissa × 10^-scale</c>, keeping the scale (so trailing zeros survive).</summary>
    public static decimal FromMantissa(long mantissa, int scale)
    {
        var negative = mantissa < 0;
        var abs = negative ? unchecked((ulong)-mantissa) : (ulong)mantissa;
        return new decimal((int)(uint)abs, (int)(uint)(abs >> 32), 0, negative, (byte)scale);
    }

    private static long[] BuildPowers()
    {
        var p = new long[19];
        p[0] = 1;
        for (var i = 1; i < p.Length; i++)
        {
            p[i] = p[i - 1] * 10;
        }

        return p;
    }
}
