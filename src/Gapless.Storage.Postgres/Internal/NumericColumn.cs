using System.Buffers.Binary;
using Gapless.Core.Errors;
using Gapless.Core.Model;

namespace Gapless.Storage.Postgres.Internal;

/// <summary>
/// Accumulates PostgreSQL <c>numeric</c> values, in their binary wire form, into a <see cref="DecimalColumn"/>
/// without going through <see cref="decimal"/>: each value becomes a 64-bit mantissa at its display scale
/// (<c>dscale</c>, the digits the vendor wrote), and the column keeps the largest scale seen, as
/// <see cref="DecimalColumnBuilder"/> does. A value that does not fit (more than 18 decimals, or too large) moves the
/// column to a <see cref="DecimalColumnBuilder"/>. Not thread-safe.
/// </summary>
internal sealed class NumericColumn(int capacity)
{
    private const int MaxScaledDigits = 18;

    private long[] _mantissas = new long[Math.Max(capacity, 16)];
    private bool[]? _present;
    private int _count;
    private int _scale;
    private DecimalColumnBuilder? _fallback;

    public bool Any { get; private set; }

    public void AddMissing()
    {
        if (_fallback is not null)
        {
            _fallback.AddMissing();
            return;
        }

        Grow();
        _present ??= AllPresent(_mantissas.Length);
        _present[_count] = false;
        _mantissas[_count++] = 0;
    }

    /// <summary>Adds one value in numeric's binary form: ndigits, weight, sign, dscale (int16 each), base-10000 digits.</summary>
    public void Add(ReadOnlySpan<byte> raw)
    {
        Any = true;
        var ndigits = BinaryPrimitives.ReadInt16BigEndian(raw);
        var weight = BinaryPrimitives.ReadInt16BigEndian(raw[2..]);
        var sign = BinaryPrimitives.ReadUInt16BigEndian(raw[4..]);
        var dscale = BinaryPrimitives.ReadUInt16BigEndian(raw[6..]);
        if (sign is not (0x0000 or 0x4000))
        {
            throw new DataIntegrityException("A numeric column holds NaN or infinity, which no bar can carry; a row was changed outside Gapless. Fix or delete it with psql.");
        }

        if (_fallback is null && TryMantissa(raw[8..], ndigits, weight, sign == 0x4000, dscale, out var mantissa) && TryAdd(mantissa, dscale))
        {
            return;
        }

        Fallback().Add(ToDecimal(raw[8..], ndigits, weight, sign == 0x4000, dscale));
    }

    /// <summary>Adds an integer (a trade count): a mantissa at scale 0.</summary>
    public void Add(long value)
    {
        Any = true;
        if (_fallback is not null || !TryAdd(value, 0))
        {
            Fallback().Add(value);
        }
    }

    public DecimalColumn Build()
    {
        if (_fallback is not null)
        {
            return _fallback.Build();
        }

        if (_present is not null && Array.TrueForAll(_present[.._count], p => p))
        {
            _present = null;
        }

        return DecimalColumn.FromMantissas(_mantissas, _scale, _count, _present);
    }

    private bool TryAdd(long mantissa, int scale)
    {
        if (scale > _scale)
        {
            if (scale > MaxScaledDigits || !TryRescale(scale))
            {
                return false;
            }
        }
        else if (scale < _scale && !TryScale(mantissa, _scale - scale, out mantissa))
        {
            return false;
        }

        Grow();
        _mantissas[_count++] = mantissa;
        return true;
    }

    private bool TryRescale(int target)
    {
        var factor = DecimalScaling.Pow10(target - _scale);
        var limit = long.MaxValue / factor;
        for (var i = 0; i < _count; i++)
        {
            if (_mantissas[i] > limit || _mantissas[i] < -limit)
            {
                return false;
            }
        }

        for (var i = 0; i < _count; i++)
        {
            _mantissas[i] *= factor;
        }

        _scale = target;
        return true;
    }

    private static bool TryScale(long value, int digits, out long scaled)
    {
        var factor = DecimalScaling.Pow10(digits);
        var limit = long.MaxValue / factor;
        scaled = value * factor;
        return value <= limit && value >= -limit;
    }

    /// <summary>value × 10^dscale as a long, when it fits.</summary>
    private static bool TryMantissa(ReadOnlySpan<byte> digits, int ndigits, int weight, bool negative, int dscale, out long mantissa)
    {
        mantissa = 0;
        if (dscale > MaxScaledDigits)
        {
            return false;
        }

        // The digits give value × 10000^(ndigits - 1 - weight); bring that to value × 10^dscale.
        ulong acc = 0;
        for (var i = 0; i < ndigits; i++)
        {
            var d = BinaryPrimitives.ReadUInt16BigEndian(digits[(2 * i)..]);
            if (acc > (ulong.MaxValue - d) / 10_000)
            {
                return false;
            }

            acc = (acc * 10_000) + d;
        }

        var shift = dscale - (4 * (ndigits - 1 - weight));
        if (ndigits == 0)
        {
            shift = 0;
        }

        if (shift > 0)
        {
            for (var i = 0; i < shift; i++)
            {
                if (acc > ulong.MaxValue / 10)
                {
                    return false;
                }

                acc *= 10;
            }
        }
        else
        {
            for (var i = 0; i < -shift; i++)
            {
                acc /= 10; // only zeros: digits past dscale are never written
            }
        }

        if (acc > long.MaxValue)
        {
            return false;
        }

        mantissa = negative ? -(long)acc : (long)acc;
        return true;
    }

    private static decimal ToDecimal(ReadOnlySpan<byte> digits, int ndigits, int weight, bool negative, int dscale)
    {
        try
        {
            decimal value = 0;
            for (var i = 0; i < ndigits; i++)
            {
                var d = BinaryPrimitives.ReadUInt16BigEndian(digits[(2 * i)..]);
                var exponent = weight - i;
                value += exponent >= 0 ? d * Pow10000(exponent) : d / Pow10000(-exponent);
            }

            // Keep the written scale: 5.10 stays 5.10.
            value = decimal.Round(value, Math.Min(dscale, DecimalScaling.MaxScale));
            if (value.Scale < dscale && dscale <= DecimalScaling.MaxScale)
            {
                value = decimal.Parse(value.ToString("F" + dscale, System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
            }

            return negative ? -value : value;
        }
        catch (OverflowException e)
        {
            throw new DataIntegrityException("A numeric column holds a value beyond the decimal range; a row was changed outside Gapless. Fix or delete it with psql.", e);
        }
    }

    private static decimal Pow10000(int n)
    {
        decimal p = 1;
        for (var i = 0; i < n; i++)
        {
            p *= 10_000;
        }

        return p;
    }

    private DecimalColumnBuilder Fallback()
    {
        if (_fallback is null)
        {
            _fallback = new DecimalColumnBuilder(_mantissas.Length);
            for (var i = 0; i < _count; i++)
            {
                if (_present is null || _present[i])
                {
                    _fallback.Add(DecimalScaling.FromMantissa(_mantissas[i], _scale));
                }
                else
                {
                    _fallback.AddMissing();
                }
            }
        }

        return _fallback;
    }

    private void Grow()
    {
        if (_count < _mantissas.Length)
        {
            return;
        }

        Array.Resize(ref _mantissas, _mantissas.Length * 2);
        if (_present is not null)
        {
            var old = _present.Length;
            Array.Resize(ref _present, _mantissas.Length);
            Array.Fill(_present, true, old, _present.Length - old);
        }
    }

    private static bool[] AllPresent(int length)
    {
        var present = new bool[length];
        Array.Fill(present, true);
        return present;
    }
}
