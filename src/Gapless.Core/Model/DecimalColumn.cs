namespace Gapless.Core.Model;

/// <summary>
/// An immutable column of exact decimal values, optionally with missing entries. Held as 64-bit mantissas at
/// one scale (fast to scan, convert and compress) when every value fits, otherwise as decimals.
/// </summary>
public sealed class DecimalColumn
{
    // 10^i as the nearest double (exact up to 10^22). Dividing by it, rather than multiplying by a rounded
    // 10^-i, rounds once, as the decimal-to-double conversion does: 0.3 gives 0.3, not 0.30000000000000004.
    private static readonly double[] Powers = Enumerable.Range(0, DecimalScaling.MaxScale + 1)
        .Select(i => double.Parse($"1e{i}", System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    private readonly long[]? _mantissas;
    private readonly decimal[]? _decimals;
    private readonly bool[]? _present;

    private DecimalColumn(int count, int scale, long[]? mantissas, decimal[]? decimals, bool[]? present)
    {
        Count = count;
        Scale = scale;
        _mantissas = mantissas;
        _decimals = decimals;
        _present = present;
    }

    public int Count { get; }

    /// <summary>The decimal scale of every mantissa (meaningful when <see cref="IsScaled"/>).</summary>
    public int Scale { get; }

    /// <summary>True when values are held as mantissas at <see cref="Scale"/>.</summary>
    public bool IsScaled => _mantissas is not null;

    /// <summary>True when some entries are missing.</summary>
    public bool HasMissing => _present is not null;

    /// <summary>The mantissas (value × 10^Scale); empty when not <see cref="IsScaled"/>.</summary>
    public ReadOnlySpan<long> Mantissas => _mantissas is null ? default : _mantissas.AsSpan(0, Count);

    /// <summary>
    /// Takes ownership of the arrays (callers must not change them after). <paramref name="present"/> null
    /// means every entry is present.
    /// </summary>
    public static DecimalColumn FromMantissas(long[] mantissas, int scale, int count, bool[]? present = null)
    {
        ArgumentNullException.ThrowIfNull(mantissas);
        Preconditions.CheckArgument(count <= mantissas.Length, nameof(count), $"count ({count}) exceeds the array ({mantissas.Length})");
        Preconditions.CheckArgument(scale is >= 0 and <= DecimalScaling.MaxScale, nameof(scale), $"scale ({scale}) must be within 0..28");
        return new DecimalColumn(count, scale, mantissas, null, present);
    }

    /// <summary>Builds the most compact exact column for <paramref name="values"/> (nulls are missing entries).</summary>
    public static DecimalColumn From(IReadOnlyList<decimal?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var builder = new DecimalColumnBuilder(values.Count);
        foreach (var v in values)
        {
            builder.Add(v);
        }

        return builder.Build();
    }

    internal static DecimalColumn FromDecimals(decimal[] decimals, int count, bool[]? present)
        => new(count, 0, null, decimals, present);

    public bool HasValue(int index)
    {
        CheckIndex(index);
        return _present is null || _present[index];
    }

    /// <summary>The exact value; null for a missing entry.</summary>
    public decimal? this[int index]
    {
        get
        {
            CheckIndex(index);
            if (_present is not null && !_present[index])
            {
                return null;
            }

            return _mantissas is not null ? DecimalScaling.FromMantissa(_mantissas[index], Scale) : _decimals![index];
        }
    }

    /// <summary>The value as a double (nearest), NaN for a missing entry. For fast numeric consumers.</summary>
    public double GetDouble(int index)
    {
        CheckIndex(index);
        if (_present is not null && !_present[index])
        {
            return double.NaN;
        }

        return _mantissas is not null ? _mantissas[index] / Powers[Scale] : (double)_decimals![index];
    }

    /// <summary>All values as doubles (NaN where missing), in one pass.</summary>
    public double[] ToDoubles()
    {
        var result = new double[Count];
        if (_mantissas is not null)
        {
            var divisor = Powers[Scale];
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = _mantissas[i] / divisor;
            }
        }
        else
        {
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = (double)_decimals![i];
            }
        }

        if (_present is not null)
        {
            for (var i = 0; i < result.Length; i++)
            {
                if (!_present[i])
                {
                    result[i] = double.NaN;
                }
            }
        }

        return result;
    }

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be within 0..{Count - 1}");
        }
    }
}
