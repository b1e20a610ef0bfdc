using Gapless.Core.Model;

namespace Gapless.Core.Ports;

/// <summary>
/// A provider whose vendor answers several symbols in one request (Alpaca's <c>/v2/stocks/bars</c>). The page limit
/// <see cref="ProviderCapabilities.MaxBarsPerRequest"/> is then the total across the symbols of a request, so a
/// backfill of many short series needs far fewer requests than one per symbol.
/// </summary>
public interface IMultiSymbolBarProvider : IBarProvider
{
    /// <summary>The most symbols one request may name.</summary>
    int MaxSymbolsPerRequest { get; }

    /// <summary>
    /// For each of <paramref name="symbols"/>, every bar the vendor has whose open time lies in
    /// <paramref name="chunk"/>, ascending; a symbol with no bars maps to an empty list (a fact, not a failure).
    /// Follows the vendor's pagination; every HTTP request, retries included, is recorded in <paramref name="calls"/>.
    /// </summary>
    /// <exception cref="Errors.VendorException">The vendor failed after retries or refused the request.</exception>
    Task<IReadOnlyDictionary<string, IReadOnlyList<Bar>>> FetchManyAsync(
        IReadOnlyList<string> symbols,
        Timeframe timeframe,
        TimeRange chunk,
        VendorCallLog calls,
        CancellationToken cancellationToken = default);
}
