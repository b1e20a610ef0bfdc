namespace Gapless.Providers.Alpaca.Models;

/// <summary>
/// A bars answer of either endpoint. The single-symbol endpoint sends <c>bars</c> as an array and the symbol at the
/// top level; the multi-symbol endpoint sends <c>bars</c> as an object keyed by symbol. Either may be empty in every
/// way Alpaca writes it (<c>{}</c>, <c>[]</c>, <c>null</c>, or absent): then both lists here are empty.
/// </summary>
/// <param name="Rows">The single-symbol endpoint's bars; empty for the multi-symbol endpoint.</param>
/// <param name="RowsBySymbol">The multi-symbol endpoint's bars, in the answer's order; empty for the single-symbol endpoint.</param>
/// <param name="Symbol">The top-level <c>symbol</c>, where sent.</param>
/// <param name="NextPageToken">The opaque token of the next page, or null on the last page.</param>
internal sealed record AlpacaBarsAnswer(
    IReadOnlyList<AlpacaBarRow> Rows,
    IReadOnlyList<KeyValuePair<string, IReadOnlyList<AlpacaBarRow>>> RowsBySymbol,
    string? Symbol,
    string? NextPageToken);
