using System.Globalization;

namespace Gapless.Providers.Csv;

/// <summary>
/// Reads a decimal from UTF-8 text exactly, never through a double, keeping the written scale (<c>"42000.01000000"</c>
/// is 42000.01000000). Plain numbers of up to 19 digits (every price and volume a vendor writes) take a fast path that
/// builds the decimal from its digits; anything else (a sign, an exponent, more digits) goes to
/// <see cref="decimal.TryParse(ReadOnlySpan{byte}, NumberStyles, IFormatProvider?, out decimal)"/>, which gives the
/// same result, more slowly.
/// </summary>
internal static class DecimalText
{
    private const NumberStyles Plain = NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign;

    /// <param name="text">The field, trimmed.</param>
    /// <param name="allowExponent">Also accept <c>1.5E-5</c> (generic CSVs; Binance never writes one).</param>
    /// <param name="value">The value, with the text's scale.</param>
    public static bool TryParse(ReadOnlySpan<byte> text, bool allowExponent, out decimal value)
    {
        ulong mantissa = 0;
        var digits = 0;
        var scale = -1;
        foreach (var b in text)
        {
            var d = (uint)(b - '0');
            if (d <= 9)
            {
                if (digits == 19)
                {
                    return Fallback(text, allowExponent, out value);
                }

                mantissa = (mantissa * 10) + d;
                digits++;
                if (scale >= 0)
                {
                    scale++;
                }
            }
            else if (b == '.' && scale < 0)
            {
                scale = 0;
            }
            else
            {
                return Fallback(text, allowExponent, out value);
            }
        }

        if (digits == 0 || scale > 28)
        {
            return Fallback(text, allowExponent, out value);
        }

        value = new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), 0, false, (byte)Math.Max(scale, 0));
        return true;
    }

    private static bool Fallback(ReadOnlySpan<byte> text, bool allowExponent, out decimal value)
        => decimal.TryParse(text, allowExponent ? Plain | NumberStyles.AllowExponent : Plain, CultureInfo.InvariantCulture, out value);
}
