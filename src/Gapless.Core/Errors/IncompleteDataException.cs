using Gapless.Core.Sync;

namespace Gapless.Core.Errors;

/// <summary>A range could not be made complete: some chunks failed. Carries the sync report.</summary>
public sealed class IncompleteDataException : GaplessException
{
    public IncompleteDataException()
    {
    }

    public IncompleteDataException(string message)
        : base(message)
    {
    }

    public IncompleteDataException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public IncompleteDataException(SyncReport report)
        : base(Describe(report ?? throw new ArgumentNullException(nameof(report))))
        => Report = report;

    public SyncReport? Report { get; }

    private static string Describe(SyncReport report)
    {
        var failures = report.Failures.ToList();
        var first = failures.FirstOrDefault(f => f.Status == ChunkStatus.Failed) ?? failures.FirstOrDefault();
        var reason = first?.Error ?? "unknown reason";
        var refused = first?.ErrorKind is { } kind && kind is not (VendorErrorKind.RateLimited or VendorErrorKind.ServerError
            or VendorErrorKind.Timeout or VendorErrorKind.BadResponse or VendorErrorKind.Unreachable);
        if (refused && failures.Count == report.Chunks.Count)
        {
            // A refusal (unknown symbol, ban, restricted location) says everything; retrying would not help.
            return reason;
        }

        return failures.Count == report.Chunks.Count
            ? $"{reason}; nothing was fetched for {report.Series}, run again to retry"
            : $"could not complete {report.Series}: {failures.Count} of {report.Chunks.Count} chunks failed ({reason}); run again to fetch only what is missing";
    }
}
