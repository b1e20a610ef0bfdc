using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gapless.Core.Model;

namespace Gapless.Cli.Output;

/// <summary>Writes one JSON document to a TextWriter; snake_case keys, ISO-8601 UTC times, ranges as [from, to].</summary>
internal static class JsonOutput
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(TextWriter target, Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            body(writer);
        }

        target.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    public static void WriteRanges(Utf8JsonWriter writer, string name, IEnumerable<TimeRange> ranges)
    {
        writer.WriteStartArray(name);
        foreach (var r in ranges)
        {
            writer.WriteStartArray();
            writer.WriteStringValue(UtcTime.ToIso(r.FromMs));
            writer.WriteStringValue(UtcTime.ToIso(r.ToMs));
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }

    public static void WriteSeries(Utf8JsonWriter writer, Series series)
    {
        writer.WriteString("provider", series.Provider);
        writer.WriteString("symbol", series.Symbol);
        writer.WriteString("timeframe", series.Timeframe.Code);
    }
}
