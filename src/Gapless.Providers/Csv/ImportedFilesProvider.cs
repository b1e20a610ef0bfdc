using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;

namespace Gapless.Providers.Csv;

/// <summary>
/// The <c>csv</c> provider: series filled by <c>gapless import</c>, not by a vendor. Reading what was imported works
/// like any series; asking it to fetch what is missing fails at once, saying to import those files.
/// </summary>
public sealed class ImportedFilesProvider : IBarProvider
{
    /// <summary>The provider's name as users type it.</summary>
    public const string ProviderName = "csv";

    public string Name => ProviderName;

    /// <summary>Every timeframe; no rate limit; final at once; 24/7 unless a quality report says otherwise (<c>--calendar</c>).</summary>
    public ProviderCapabilities Capabilities { get; } = new(1_000_000, 0, null, Timeframe.All, TimeSpan.Zero);

    public Task<IReadOnlyList<Bar>> FetchAsync(Series series, TimeRange chunk, VendorCallLog calls, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        throw new VendorException(
            ProviderName,
            VendorErrorKind.Refused,
            $"{series} holds only imported files and {UtcTime.ToIso(chunk.FromMs)} to {UtcTime.ToIso(chunk.ToMs)} was never imported; import those files (gapless import), or read what is held with --offline");
    }
}
