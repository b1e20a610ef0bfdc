using System.Globalization;
using System.Text.Json;

namespace Gapless.Providers.Eodhd.Models;

/// <summary>
/// Reads an intraday answer (an array of bar objects) token by token. Prices and volumes are parsed to
/// <see cref="decimal"/> from the number's own UTF-8 digits, never through <see cref="double"/>, so
/// <c>146.949996</c> is 146.949996 and <c>146.360</c> keeps its scale. Fields may come in any order; unknown ones are
/// skipped. Any deviation from the wire format (a truncated body, text where a number belongs, a missing timestamp or
/// price field) throws <see cref="JsonException"/>: the caller treats it as a broken answer, never as data.
/// </summary>
internal static class IntradayRowReader
{
    private const NumberStyles NumberStyle = NumberStyles.Float;

    public static List<IntradayRow> Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        Next(ref reader);
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Fail(ref reader, "an array of bars");
        }

        var rows = new List<IntradayRow>();
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Fail(ref reader, "a bar object");
            }

            rows.Add(ReadRow(ref reader));
        }

        if (reader.Read())
        {
            throw Fail(ref reader, "the end of the answer");
        }

        return rows;
    }

    private static IntradayRow ReadRow(ref Utf8JsonReader reader)
    {
        long? timestamp = null;
        decimal? open = null, high = null, low = null, close = null, volume = null;
        var seen = Field.None;
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            var field = Name(ref reader);
            Next(ref reader);
            switch (field)
            {
                case Field.Timestamp:
                    timestamp = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var t) ? t : throw Fail(ref reader, "an integer timestamp");
                    break;
                case Field.Open:
                    open = Number(ref reader);
                    break;
                case Field.High:
                    high = Number(ref reader);
                    break;
                case Field.Low:
                    low = Number(ref reader);
                    break;
                case Field.Close:
                    close = Number(ref reader);
                    break;
                case Field.Volume:
                    volume = Number(ref reader);
                    break;
                default:
                    // gmtoffset, datetime, and anything EODHD may add later.
                    reader.Skip();
                    break;
            }

            seen |= field;
        }

        if ((seen & Field.Required) != Field.Required)
        {
            throw new JsonException($"a bar ending at byte {reader.BytesConsumed} lacks {Missing(seen)}");
        }

        return new IntradayRow(timestamp!.Value, open, high, low, close, volume);
    }

    private static Field Name(ref Utf8JsonReader reader)
        => reader.ValueTextEquals("timestamp"u8) ? Field.Timestamp
            : reader.ValueTextEquals("open"u8) ? Field.Open
            : reader.ValueTextEquals("high"u8) ? Field.High
            : reader.ValueTextEquals("low"u8) ? Field.Low
            : reader.ValueTextEquals("close"u8) ? Field.Close
            : reader.ValueTextEquals("volume"u8) ? Field.Volume
            : Field.None;

    /// <summary>A JSON number read exactly as a decimal, or null for <c>null</c>.</summary>
    private static decimal? Number(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.Number)
        {
            throw Fail(ref reader, "a number or null");
        }

        // ValueSpan is the number's raw text: a number token is never escaped.
        return decimal.TryParse(reader.ValueSpan, NumberStyle, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new JsonException($"the number at byte {reader.TokenStartIndex} does not fit a decimal");
    }

    private static string Missing(Field seen)
        => string.Join(", ", Enum.GetValues<Field>()
            .Where(f => f is not (Field.None or Field.Required or Field.Volume) && !seen.HasFlag(f))
            .Select(f => f.ToString().ToLowerInvariant()));

    private static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException($"the intraday answer ends early, at byte {reader.BytesConsumed}");
        }
    }

    private static JsonException Fail(ref Utf8JsonReader reader, string expected)
        => new($"expected {expected} at byte {reader.TokenStartIndex}, found {reader.TokenType}");

    [Flags]
    private enum Field
    {
        None = 0,
        Timestamp = 1,
        Open = 2,
        High = 4,
        Low = 8,
        Close = 16,
        Volume = 32,
        Required = Timestamp | Open | High | Low | Close,
    }
}
