using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gapless.Storage.Sqlite.Segments;

/// <summary>
/// Divisibility by 10^k and exact division by it, with multiplications only: a is divisible by 10^k when it has k
/// trailing zero bits and (a × 5^-k mod 2^64) ≤ ⌊(2^64 − 1) / 5^k⌋ (Granlund and Montgomery); the quotient of an
/// exact division is then (a >> k) × 5^-k mod 2^64. A 64-bit division costs tens of cycles; these cost a few.
/// </summary>
internal static class Pow10Division
{
    private static readonly ulong[] Inverse5 = new ulong[19];
    private static readonly ulong[] Limit5 = new ulong[19];

    static Pow10Division()
    {
        ulong p = 1;
        for (var k = 0; k < Inverse5.Length; k++)
        {
            // Newton's iteration for the inverse of an odd number modulo 2^64: each step doubles the correct bits.
            var x = p;
            for (var step = 0; step < 6; step++)
            {
                x = unchecked(x * (2 - (p * x)));
            }

            Inverse5[k] = x;
            Limit5[k] = ulong.MaxValue / p;
            p *= 5;
        }
    }

    /// <summary>5^-k modulo 2^64.</summary>
    public static ulong Inverse(int k) => Inverse5[k];

    /// <summary>⌊(2^64 − 1) / 5^k⌋.</summary>
    public static ulong Limit(int k) => Limit5[k];

    /// <summary>10^k (k in 1..18) as the constants its tests need, held in registers by the loops that use it.</summary>
    public readonly struct Divisor(int k)
    {
        private readonly int _k = k;
        private readonly ulong _inverse = Inverse5[k];
        private readonly ulong _limit = Limit5[k];

        /// <summary>True when 10^k divides <paramref name="a"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Divides(ulong a) => (a == 0 || BitOperations.TrailingZeroCount(a) >= _k) && unchecked(a * _inverse) <= _limit;

        /// <summary>a / 10^k, for an <paramref name="a"/> that <see cref="Divides"/> says is a multiple.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ulong DivideExact(ulong a) => unchecked((a >> _k) * _inverse);
    }
}
