namespace Gapless.Core.Model;

/// <summary>
/// Accumulates exact decimals into a <see cref="DecimalColumn"/>. Keeps 64-bit mantissas at the largest scale
/// seen so far, rescaling what it holds when a value needs more digits, and falls back to decimals only when a
/// value cannot fit. Not thread-safe.
/// </summary>
public sealed class DecimalColumnBuilder
{
    private long[] _mantissas;
    private decimal[]? _decimals;
    private bool[]? _present;
    private int _count;
    private int _scale;

    // Set by Build, which hands its arrays to the column: the next change copies them first, so adding
    // after Build (a rescale multiplies in place) never alters a column already built.
    private bool _built;

    public DecimalColumnBuilder(int capacity = 16) => _mantissas = new long[Math.Max(capacity, 4)];

    public int Count => _count;

    public void Add(decimal? value)
    {
        if (value is null)
        {
            AddMissing();
            return;
        }

        EnsureCapacity(_count + 1);
        if (_decimals is not null)
        {
            _decimals[_count++] = value.Value;
            return;
        }

        var needed = DecimalScaling.SignificantScale(value.Value);
        var displayScale = Math.Max(value.Value.Scale, needed);
        var target = Math.Max(_scale, displayScale);
        if (target != _scale && !TryRescale(target))
        {
            SwitchToDecimals();
            _decimals![_count++] = value.Value;
            return;
        }

        if (DecimalScaling.TryToMantissa(value.Value, _scale, out var m))
        {
            _mantissas[_count++] = m;
        }
        else
        {
            SwitchToDecimals();
            _decimals![_count++] = value.Value;
        }
    }

    /// <summary>Appends mantissas at <paramref name="scale"/> in bulk (the fast path for decoded segments).</summary>
    public void AddMantissas(ReadOnlySpan<long> mantissas, int scale)
    {
        EnsureCapacity(_count + mantissas.Length);
        if (_decimals is null && scale == _scale)
        {
            mantissas.CopyTo(_mantissas.AsSpan(_count));
            _count += mantissas.Length;
            return;
        }

        if (_decimals is null && scale < _scale)
        {
            var factor = DecimalScaling.Pow10(_scale - scale);
            var fits = true;
            foreach (var m in mantissas)
            {
                if (!FitsAfterScaling(m, factor))
                {
                    fits = false;
                    break;
                }
            }

            if (fits)
            {
                var dest = _mantissas.AsSpan(_count, mantissas.Length);
                for (var i = 0; i < mantissas.Length; i++)
                {
                    dest[i] = mantissas[i] * factor;
                }

                _count += mantissas.Length;
                return;
            }
        }

        if (_decimals is null && scale > _scale && TryRescale(scale))
        {
            mantissas.CopyTo(_mantissas.AsSpan(_count));
            _count += mantissas.Length;
            return;
        }

        foreach (var m in mantissas)
        {
            Add(DecimalScaling.FromMantissa(m, scale));
        }
    }

    public void AddMissing()
    {
        EnsureCapacity(_count + 1);
        _present ??= CreateAllPresent();
        _present[_count] = false;
        if (_decimals is not null)
        {
            _decimals[_count] = 0m;
        }
        else
        {
            _mantissas[_count] = 0;
        }

        _count++;
    }

    public DecimalColumn Build()
    {
        if (_present is not null && Array.TrueForAll(_present[.._count], p => p))
        {
            _present = null;
        }

        _built = true;
        return _decimals is not null
            ? DecimalColumn.FromDecimals(_decimals, _count, _present)
            : DecimalColumn.FromMantissas(_mantissas, _scale, _count, _present);
    }

    private bool TryRescale(int target)
    {
        if (target > 18)
        {
            return false;
        }

        var factor = DecimalScaling.Pow10(target - _scale);
        for (var i = 0; i < _count; i++)
        {
            if (!FitsAfterScaling(_mantissas[i], factor))
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

    // Not Math.Abs: long.MinValue is a valid mantissa and Math.Abs would throw on it.
    private static bool FitsAfterScaling(long mantissa, long factor)
    {
        var limit = long.MaxValue / factor;
        return mantissa >= -limit && mantissa <= limit;
    }

    private void SwitchToDecimals()
    {
        if (_decimals is not null)
        {
            return;
        }

        _decimals = new decimal[_mantissas.Length];
        for (var i = 0; i < _count; i++)
        {
            _decimals[i] = DecimalScaling.FromMantissa(_mantissas[i], _scale);
        }
    }

    private void EnsureCapacity(int needed)
    {
        if (_built)
        {
            _mantissas = (long[])_mantissas.Clone();
            _decimals = (decimal[]?)_decimals?.Clone();
            _present = (bool[]?)_present?.Clone();
            _built = false;
        }

        if (needed <= _mantissas.Length && (_decimals is null || needed <= _decimals.Length))
        {
            if (_present is null || needed <= _present.Length)
            {
                return;
            }
        }

        var size = Math.Max(needed, _mantissas.Length * 2);
        Array.Resize(ref _mantissas, size);
        if (_decimals is not null)
        {
            Array.Resize(ref _decimals, size);
        }

        if (_present is not null)
        {
            var old = _present.Length;
            Array.Resize(ref _present, size);
            Array.Fill(_present, true, old, size - old);
        }
    }

    private bool[] CreateAllPresent()
    {
        var present = new bool[_mantissas.Length];
        Array.Fill(present, true);
        return present;
    }
}
