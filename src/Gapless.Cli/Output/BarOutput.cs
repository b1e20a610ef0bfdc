using System.Globalization;
using System.Text.Json;
using Gapless.Core.Model;

namespace Gapless.Cli.Output;

/// <summary>
/// Writes bars as CSV (<c>open_time,open,high,low,close,volume,close_time,quote_volume,trades</c>, times in epoch
/// milliseconds, values exactly as the vendor sent them) or as a JSON array (the same fields; decimals as strings,
/// like the vendors send them, so no digit is lost to a double). close_time follows Binance: the last millisecond
/// of the bar, or the vendor's own close time for a bar cut short by a halt.
/// </summary>
internal static class BarOutput
{
    public static void WriteCsv(TextWriter target, BarFrame frame, Timeframe timeframe)
    {
        target.WriteLine("open_time,open,high,low,close,volume,close_time,quote_volume,trades");
        var times = frame.OpenTimes;
        var line = new System.Text.StringBuilder(128);
        for (var i = 0; i < frame.Count; i++)
        {
            var t = times[i];
            line.Clear()
                .Append(t.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Text(frame.Open[i])).Append(',')
                .Append(Text(frame.High[i])).Append(',')
                .Append(Text(frame.Low[i])).Append(',')
                .Append(Text(frame.Close[i])).Append(',')
                .Append(Text(frame.Volume[i])).Append(',')
                .Append(CloseTime(frame, timeframe, t).ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Text(frame.QuoteVolume?[i])).Append(',')
                .Append(Text(frame.Trades?[i]));
            target.WriteLine(line);
        }
    }

    public static void WriteJson(TextWriter target, BarFrame frame, Timeframe timeframe)
    {
        // Streamed in slices: a year of 1m bars would otherwise be one 100 MB string.
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartArray();
            var times = frame.OpenTimes;
            for (var i = 0; i < frame.Count; i++)
            {
                var t = times[i];
                w.WriteStartObject();
                w.WriteNumber("open_time", t);
                w.WriteString("open", Text(frame.Open[i]));
                w.WriteString("high", Text(frame.High[i]));
                w.WriteString("low", Text(frame.Low[i]));
                w.WriteString("close", Text(frame.Close[i]));
                w.WriteString("volume", Text(frame.Volume[i]));
                w.WriteNumber("close_time", CloseTime(frame, timeframe, t));
                WriteOptional(w, "quote_volume", frame.QuoteVolume?[i]);
                if (frame.Trades?[i] is { } trades)
                {
                    w.WriteNumber("trades", (long)trades);
                }

                w.WriteEndObject();
                if (i % 4096 == 4095)
                {
                    Drain(w, buffer, target);
                }
            }

            w.WriteEndArray();
            Drain(w, buffer, target);
        }

        target.WriteLine();
    }

    private static void Drain(Utf8JsonWriter writer, MemoryStream buffer, TextWriter target)
    {
        writer.Flush();
        target.Write(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        buffer.SetLength(0);
    }

    private static long CloseTime(BarFrame frame, Timeframe timeframe, long openTime)
        => frame.CutShortAt.TryGetValue(openTime, out var cut) ? cut : timeframe.CloseOf(openTime) - 1;

    private static void WriteOptional(Utf8JsonWriter w, string name, decimal? value)
    {
        if (value is { } v)
        {
            w.WriteString(name, Text(v));
        }
    }

    private static string Text(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;
}
