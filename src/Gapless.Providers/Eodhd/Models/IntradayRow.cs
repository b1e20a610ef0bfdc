namespace Gapless.Providers.Eodhd.Models;

/// <summary>
/// One intraday bar exactly as EODHD sends it:
/// <c>{"timestamp":1627911000,"gmtoffset":0,"datetime":"2021-08-02 13:30:00","open":146.36,"high":146.949996,"low":146.089996,"close":146.419998,"volume":3930530}</c>.
/// <c>timestamp</c> is the bar's open in Unix seconds (UTC); <c>datetime</c> the same instant as UTC text and
/// <c>gmtoffset</c> 0, both unused. Prices and volume are JSON numbers, read to decimals from their exact digits;
/// null where EODHD sends <c>null</c> (or omits the volume).
/// </summary>
internal readonly record struct IntradayRow(
    long Timestamp,
    decimal? Open,
    decimal? High,
    decimal? Low,
    decimal? Close,
    decimal? Volume);
