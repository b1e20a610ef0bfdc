namespace Gapless.Providers.Csv;

/// <summary>The layout of a bar file.</summary>
public enum CsvFormat
{
    /// <summary>Decided per file from its first line: a Binance archive row or header, else a generic CSV header.</summary>
    Auto,

    /// <summary>
    /// A Binance public-data kline archive (data.binance.vision, spot and futures): 12 columns <c>open_time, open, high,
    /// low, close, volume, close_time, quote_volume, count, taker_buy_volume, taker_buy_quote_volume, ignore</c>, with or
    /// without a header row, times in epoch milliseconds or (spot from 2025 on) microseconds.
    /// </summary>
    Binance,

    /// <summary>A CSV with a header naming at least <c>time, open, high, low, close, volume</c> (see <see cref="CsvImport"/>).</summary>
    Generic,
}

/// <summary>How <see cref="CsvImport"/> reads files.</summary>
public sealed record CsvImportOptions
{
    /// <summary>The files' layout; <see cref="CsvFormat.Auto"/> (the default) decides per file.</summary>
    public CsvFormat Format { get; init; } = CsvFormat.Auto;

    /// <summary>
    /// For generic CSVs: a .NET custom date and time format string for the time column (for example
    /// <c>yyyy-MM-dd HH:mm:ss</c> or <c>MM/dd/yyyy HH:mm</c>), read with the invariant culture, UTC unless the format
    /// carries an offset (<c>zzz</c>, <c>K</c>). Null (the default) accepts ISO-8601 with a zone and Unix epoch numbers.
    /// </summary>
    public string? TimeFormat { get; init; }

    /// <summary>
    /// How many rows of each file are read before anything is imported (default 1,000), to find its format and check its
    /// bar spacing against the timeframe, so a wrong file or timeframe fails before the store is touched.
    /// </summary>
    public int SampleRows { get; init; } = 1_000;
}
