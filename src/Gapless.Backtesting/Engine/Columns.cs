using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Gapless.Core.Model;

namespace Gapless.Backtesting.Engine;

/// <summary>
/// Converts part of a column to doubles, bit for bit as <see cref="DecimalColumn.ToDoubles"/> and
/// <see cref="DecimalColumn.GetDouble"/> do (each value is <c>mantissa / 10^scale</c>, correctly rounded; NaN where
/// missing), four values at a time: a scalar division per value is most of the cost of converting a year of bars.
/// Mantissas under 2^51 become doubles exactly through the magic-number trick (add the bits of 1.5 × 2^52, subtract
/// it as a double), and IEEE division is correctly rounded in vector and scalar form alike. Columns held as decimals
/// or with missing entries go value by value through Core.
/// </summary>
internal static class Columns
{
    private const long MagicBits = 0x4338_0000_0000_0000; // the double 1.5 × 2^52
    private const double Magic = 6_755_399_441_055_744.0;
    private const ulong Limit = 1UL << 51;

    // 10^i as the nearest double, exact up to 10^22, as Core divides by.
    private static readonly double[] Powers = Enumerable.Range(0, 23)
        .Select(i => double.Parse($"1e{i}", CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Writes the values at <c>[start, start + destination.Length)</c> of <paramref name="column"/> into <paramref name="destination"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per backtest over every bar: skip tier 0 and OSR
    public static void Convert(DecimalColumn column, int start, Span<double> destination)
    {
        if (!column.IsScaled || column.HasMissing || column.Scale >= Powers.Length)
        {
            for (var j = 0; j < destination.Length; j++)
            {
                destination[j] = column.GetDouble(start + j);
            }

            return;
        }

        var mantissas = column.Mantissas.Slice(start, destination.Length);
        var divisor = Powers[column.Scale];
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vDivisor = Vector256.Create(divisor);
            var vMagicBits = Vector256.Create(MagicBits);
            var vMagic = Vector256.Create(Magic);
            var vOffset = Vector256.Create(Limit);
            var vRange = Vector256.Create(Limit * 2);
            for (; i <= mantissas.Length - Vector256<long>.Count; i += Vector256<long>.Count)
            {
                var m = Vector256.Create(mantissas.Slice(i, Vector256<long>.Count));

                // |m| < 2^51 ⇔ m + 2^51 lies in [0, 2^52) as an unsigned number; otherwise the scalar loop below does these.
                if (!Vector256.LessThanAll(m.AsUInt64() + vOffset, vRange))
                {
                    break;
                }

                var exact = (m + vMagicBits).AsDouble() - vMagic;
                (exact / vDivisor).CopyTo(destination[i..]);
            }
        }

        for (; i < mantissas.Length; i++)
        {
            destination[i] = mantissas[i] / divisor;
        }
    }
}
