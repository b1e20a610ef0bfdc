using System.Text;
using System.Text.Json;

namespace Gapless.Providers.Alpaca.Models;

/// <summary>
/// Reads a bars answer of either endpoint token by token. Unknown fields are skipped (Alpaca adds fields, such as
/// <c>currency</c>); anything else off the wire format (a truncated body, a string where a number belongs, a bar
/// without its close) throws <see cref="JsonException"/>: the caller treats it as a broken answer, never as data.
/// </summary>
internal static class AlpacaBarsReader
{
    public static AlpacaBarsAnswer Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        Next(ref reader);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Fail(ref reader, "an object");
        }

        IReadOnlyList<AlpacaBarRow> rows = [];
        IReadOnlyList<KeyValuePair<string, IReadOnlyList<AlpacaBarRow>>> bySymbol = [];
        string? symbol = null;
        string? nextPageToken = null;
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            var name = reader.GetString();
            Next(ref reader);
            switch (name)
            {
                case "bars" when reader.TokenType == JsonTokenType.StartArray:
                    rows = ReadBars(ref reader, symbol ?? "the answer");
                    break;
                case "bars" when reader.TokenType == JsonTokenType.StartObject:
                    bySymbol = ReadBarsBySymbol(ref reader);
                    break;
                case "bars" when reader.TokenType == JsonTokenType.Null:
                    break;
                case "bars":
                    throw Fail(ref reader, "bars as an array, an object or null");
                case "symbol":
                    symbol = NullableString(ref reader, "symbol");
                    break;
                case "next_page_token":
                    nextPageToken = NullableString(ref reader, "next_page_token");
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (reader.Read())
        {
            throw Fail(ref reader, "the end of the answer");
        }

        return new AlpacaBarsAnswer(rows, bySymbol, symbol, nextPageToken);
    }

    private static List<KeyValuePair<string, IReadOnlyList<AlpacaBarRow>>> ReadBarsBySymbol(ref Utf8JsonReader reader)
    {
        var result = new List<KeyValuePair<string, IReadOnlyList<AlpacaBarRow>>>();
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return result;
            }

            var symbol = reader.GetString()!;
            Next(ref reader);
            IReadOnlyList<AlpacaBarRow> rows = reader.TokenType switch
            {
                JsonTokenType.StartArray => ReadBars(ref reader, symbol),
                JsonTokenType.Null => [],
                _ => throw Fail(ref reader, $"an array of bars for {symbol}"),
            };
            result.Add(new(symbol, rows));
        }
    }

    private static List<AlpacaBarRow> ReadBars(ref Utf8JsonReader reader, string symbol)
    {
        var rows = new List<AlpacaBarRow>();
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return rows;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Fail(ref reader, "a bar object");
            }

            rows.Add(ReadBar(ref reader, symbol, rows.Count));
        }
    }

    private static AlpacaBarRow ReadBar(ref Utf8JsonReader reader, string symbol, int index)
    {
        string? t = null, o = null, h = null, l = null, c = null, v = null, vw = null;
        long? n = null;
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            var name = reader.GetString();
            Next(ref reader);
            switch (name)
            {
                case "t":
                    t = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw Fail(ref reader, "t as a string");
                    break;
                case "o":
                    o = NumberText(ref reader, "o");
                    break;
                case "h":
                    h = NumberText(ref reader, "h");
                    break;
                case "l":
                    l = NumberText(ref reader, "l");
                    break;
                case "c":
                    c = NumberText(ref reader, "c");
                    break;
                case "v":
                    v = NumberText(ref reader, "v");
                    break;
                case "vw":
                    vw = reader.TokenType == JsonTokenType.Null ? null : NumberText(ref reader, "vw");
                    break;
                case "n":
                    n = reader.TokenType switch
                    {
                        JsonTokenType.Null => null,
                        JsonTokenType.Number when reader.TryGetInt64(out var trades) => trades,
                        _ => throw Fail(ref reader, "n as an integer"),
                    };
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new AlpacaBarRow(
            t ?? throw Missing(symbol, index, "t"),
            o ?? throw Missing(symbol, index, "o"),
            h ?? throw Missing(symbol, index, "h"),
            l ?? throw Missing(symbol, index, "l"),
            c ?? throw Missing(symbol, index, "c"),
            v ?? throw Missing(symbol, index, "v"),
            n,
            vw);
    }

    /// <summary>The number token's own text (<c>161.942117</c>, <c>839</c>, <c>1e-7</c>), for an exact decimal parse.</summary>
    private static string NumberText(ref Utf8JsonReader reader, string field)
        => reader.TokenType == JsonTokenType.Number
            ? Encoding.UTF8.GetString(reader.ValueSpan)
            : throw Fail(ref reader, $"{field} as a number");

    private static string? NullableString(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw Fail(ref reader, $"{field} as a string or null"),
    };

    private static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException($"the bars answer ends early, at byte {reader.BytesConsumed}");
        }
    }

    private static JsonException Missing(string symbol, int index, string field)
        => new($"bar {index} of {symbol} has no '{field}'");

    private static JsonException Fail(ref Utf8JsonReader reader, string expected)
        => new($"expected {expected} at byte {reader.TokenStartIndex}, found {reader.TokenType}");
}
