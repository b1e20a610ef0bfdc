using Gapless.Core.Model;

namespace Gapless.Core.Ports;

/// <summary>
/// A source of bars (a vendor, a file set, the simulator). Implementations own their HTTP, rate limiting and
/// retries; the sync engine only asks for chunks. Thread-safe: the engine calls it concurrently.
/// </summary>
public interface IBarProvider
{
    /// <summary>The provider's name as users type it: <c>binance</c>, <c>sim</c>.</summary>
    string Name { get; }

    ProviderCapabilities Capabilities { get; }

    /// <summary>
    /// Every bar the vendor has whose open time lies in <paramref name="chunk"/>, ascending. The chunk is aligned to
    /// the series' timeframe and holds at most <see cref="ProviderCapabilities.MaxBarsPerRequest"/> bars. An empty
    /// list means the vendor answered and has nothing there (before a listing, a halt): a fact, not a failure.
    /// Every HTTP request made, retries included, is recorded in <paramref name="calls"/>.
    /// </summary>
    /// <exception cref="Errors.VendorException">The vendor failed after retries or refused the request.</exception>
    Task<IReadOnlyList<Bar>> FetchAsync(Series series, TimeRange chunk, VendorCallLog calls, CancellationToken cancellationToken = default);
}
