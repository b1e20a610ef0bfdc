namespace Gapless.Providers.Csv;

/// <summary>
/// Splits one CSV line into fields. Commas separate fields; a field may be wrapped in double quotes (removed, as are
/// spaces around it), but a quoted field holding a comma or a quote is not supported: bar files have no need of one.
/// </summary>
internal static class CsvFields
{
    /// <summary>Fills <paramref name="fields"/> with the first fields of <paramref name="line"/>; returns how many fields the line has.</summary>
    public static int Split(ReadOnlySpan<byte> line, Span<Range> fields)
    {
        var count = 0;
        var start = 0;
        while (true)
        {
            var comma = line[start..].IndexOf((byte)',');
            var end = comma < 0 ? line.Length : start + comma;
            if (count < fields.Length)
            {
                fields[count] = Trim(line, start, end);
            }

            count++;
            if (comma < 0)
            {
                return count;
            }

            start = end + 1;
        }
    }

    private static Range Trim(ReadOnlySpan<byte> line, int start, int end)
    {
        while (start < end && line[start] is (byte)' ' or (byte)'\t')
        {
            start++;
        }

        while (end > start && line[end - 1] is (byte)' ' or (byte)'\t')
        {
            end--;
        }

        if (end - start >= 2 && line[start] == '"' && line[end - 1] == '"')
        {
            start++;
            end--;
        }

        return start..end;
    }
}
