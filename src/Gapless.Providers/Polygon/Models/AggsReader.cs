using System.Globalization;
using System.Text.Json;

namespace Gapless.Providers.Polygon.Models;

/// <summary>
/// Reads an aggregates answer token by token, so every number is taken from its JSON text: Polygon sends volumes as
/// doubles (<c>642646396.0</c>, <c>7.0254e+07</c>), and a double parsed and turned back into a decimal would not be
/// what was sent. Unknown fields are skipped (Polygon adds some, like <c>otc</c>). Any deviation from the wire format
/// (a truncated body, text where a number belongs, an aggregate without <c>t</c>) throws <see cref="JsonException"/>
/// or <see cref="FormatException"/>: the caller treats it as a broken answer, never as data.
/// </summary>
internal static class AggsReader
{
    private const NumberStyles NumberStyle = NumberStyles.Float;

    public static AggsAnswer Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        Next(ref reader);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Fail(ref reader, "an object");
        }

        string? ticker = null, status = null, requestId = null, nextUrl = null, error = null, message = null;
        int? resultsCount = null;
        var results = new List<AggRow>();
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
                case "ticker":
                    ticker = Text(ref reader);
                    break;
                case "status":
                    status = Text(ref reader);
                    break;
                case "request_id":
                    requestId = Text(ref reader);
                    break;
                case "next_url":
                    nextUrl = Text(ref reader);
                    break;
                case "error":
                    error = Text(ref reader);
                    break;
                case "message":
                    message = Text(ref reader);
                    break;
                case "resultsCount":
                    resultsCount = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var count) ? count : null;
                    break;
                case "results" when reader.TokenType == JsonTokenType.StartArray:
                    ReadResults(ref reader, results);
                    break;
                case "results" when reader.TokenType == JsonTokenType.Null:
                    break;
                case "results":
                    throw Fail(ref reader, "an array of aggregates");
                default:
                    reader.Skip();
                    break;
            }
        }

        if (reader.Read())
        {
            throw Fail(ref reader, "the end of the answer");
        }

        return new AggsAnswer(ticker, status, requestId, resultsCount, results, nextUrl, error, message);
    }

    private static void ReadResults(ref Utf8JsonReader reader, List<AggRow> results)
    {
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Fail(ref reader, "an aggregate object");
            }

            results.Add(ReadRow(ref reader, results.Count));
        }
    }

    private static AggRow ReadRow(ref Utf8JsonReader reader, int index)
    {
        long? t = null, n = null;
        decimal? o = null, h = null, l = null, c = null, v = null, vw = null;
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
                    t = Integer(ref reader, "t");
                    break;
                case "o":
                    o = Number(ref reader, "o");
                    break;
                case "h":
                    h = Number(ref reader, "h");
                    break;
                case "l":
                    l = Number(ref reader, "l");
                    break;
                case "c":
                    c = Number(ref reader, "c");
                    break;
                case "v":
                    v = Number(ref reader, "v");
                    break;
                case "vw":
                    vw = reader.TokenType == JsonTokenType.Null ? null : Number(ref reader, "vw");
                    break;
                case "n":
                    n = reader.TokenType == JsonTokenType.Null ? null : Integer(ref reader, "n");
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new AggRow(
            t ?? throw Missing(index, "t"),
            o ?? throw Missing(index, "o"),
            h ?? throw Missing(index, "h"),
            l ?? throw Missing(index, "l"),
            c ?? throw Missing(index, "c"),
            v ?? throw Missing(index, "v"),
            vw,
            n);
    }

    /// <summary>The number's own text as a decimal: <c>7.0254e+07</c> is 70254000, <c>642646396.0</c> keeps its scale.</summary>
    private static decimal Number(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw Fail(ref reader, $"a number for '{field}'");
        }

        // A number token's ValueSpan is its raw text (never escaped); the whole answer is one span.
        return decimal.TryParse(reader.ValueSpan, NumberStyle, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"'{field}' {System.Text.Encoding.UTF8.GetString(reader.ValueSpan)} does not fit a decimal");
    }

    /// <summary>An integer, also when sent as a double with no fraction (<c>82132.0</c>, <c>1.577941200e+12</c>).</summary>
    private static long Integer(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var whole))
        {
            return whole;
        }

        var value = Number(ref reader, field);
        return decimal.Truncate(value) == value && value is >= long.MinValue and <= long.MaxValue
            ? (long)value
            : throw new FormatException($"'{field}' {value.ToString(CultureInfo.InvariantCulture)} is not a whole number");
    }

    private static string? Text(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Null:
                return null;
            default:
                reader.Skip();
                return null;
        }
    }

    private static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException($"the aggregates answer ends early, at byte {reader.BytesConsumed}");
        }
    }

    private static JsonException Missing(int index, string field) => new($"aggregate {index} has no '{field}'");

    private static JsonException Fail(ref Utf8JsonReader reader, string expected)
        => new($"expected {expected} at byte {reader.TokenStartIndex}, found {reader.TokenType}");
}
