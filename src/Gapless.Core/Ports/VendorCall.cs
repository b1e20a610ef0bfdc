namespace Gapless.Core.Ports;

/// <summary>
/// One HTTP request to a vendor, as the fetch log records it. <paramref name="Request"/> is the path and query
/// with every secret removed: it is safe to log and to store.
/// </summary>
/// <param name="StartedAt">When the request was sent (UTC).</param>
/// <param name="Request">Path and query, secrets removed.</param>
/// <param name="HttpStatus">The status received; null when no answer came.</param>
/// <param name="Rows">Bars in the answer.</param>
/// <param name="Weight">Rate-limit weight spent.</param>
/// <param name="Duration">Time from send to the end of the body.</param>
/// <param name="Error">What went wrong, or null.</param>
public sealed record VendorCall(
    DateTimeOffset StartedAt,
    string Request,
    int? HttpStatus,
    int Rows,
    int Weight,
    TimeSpan Duration,
    string? Error = null);

/// <summary>Collects the vendor calls made for one chunk, retries included. Thread-safe.</summary>
public sealed class VendorCallLog
{
    private readonly List<VendorCall> _calls = [];
    private readonly Lock _gate = new();

    public void Record(VendorCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        lock (_gate)
        {
            _calls.Add(call);
        }
    }

    public IReadOnlyList<VendorCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }
}
