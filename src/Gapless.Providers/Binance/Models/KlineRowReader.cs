using System.Text.Json;

namespace Gapless.Providers.Binance.Models;

/// <summary>
/// Reads a klines answer (an array of kline arrays) field by field. Any deviation from the wire format (a
/// truncated body, a number where text belongs, a short row) throws <see cref="JsonException"/>: the caller
/// treats it as a broken answer, never as data.
/// </summary>
internal static class KlineRowReader
{
    public static List<KlineRow> Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartArray);
        var rows = new List<KlineRow>();
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw Fail(ref reader, "a kline array");
            }

            rows.Add(ReadRow(ref reader));
        }

        if (reader.Read())
        {
            throw Fail(ref reader, "the end of the answer");
        }

        return rows;
    }

    private static KlineRow ReadRow(ref Utf8JsonReader reader)
    {
        var openTime = Number(ref reader);
        var open = Text(ref reader);
        var high = Text(ref reader);
        var low = Text(ref reader);
        var close = Text(ref reader);
        var volume = Text(ref reader);
        var closeTime = Number(ref reader);
        var quote = Text(ref reader);
        var trades = Number(ref reader);
        var takerBase = Text(ref reader);
        var takerQuote = Text(ref reader);

        // The 12th field ("ignore") is unused; tolerate any trailing fields Binance may add later.
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            reader.Skip();
        }

        return new KlineRow(openTime, open, high, low, close, volume, closeTime, quote, trades, takerBase, takerQuote);
    }

    private static long Number(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value)
            ? value
            : throw Fail(ref reader, "an integer");
    }

    private static string Text(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        return reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw Fail(ref reader, "a string");
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        Next(ref reader);
        if (reader.TokenType != type)
        {
            throw Fail(ref reader, type.ToString());
        }
    }

    private static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException($"the klines answer ends early, at byte {reader.BytesConsumed}");
        }
    }

    private static JsonException Fail(ref Utf8JsonReader reader, string expected)
        => new($"expected {expected} at byte {reader.TokenStartIndex}, found {reader.TokenType}");
}
