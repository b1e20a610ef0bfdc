namespace Gapless.Providers.Alpaca.Models;

/// <summary>
/// One bar exactly as Alpaca sends it: <c>{"t":"2022-03-09T05:00:00Z","o":161.51,"h":163.41,"l":159.41,"c":162.95,
/// "v":88496480,"n":700291,"vw":161.942117}</c>. Prices and volume are JSON numbers, kept here as the text of their
/// token so the parser reads them straight into decimals (never through a double, which would turn 0.1 into
/// 0.1000000000000000055…). <c>n</c> (trades) and <c>vw</c> (VWAP) may be absent.
/// </summary>
/// <param name="Time">The bar's stamp, RFC-3339 (<c>t</c>).</param>
internal readonly record struct AlpacaBarRow(
    string Time,
    string Open,
    string High,
    string Low,
    string Close,
    string Volume,
    long? Trades,
    string? Vwap);
