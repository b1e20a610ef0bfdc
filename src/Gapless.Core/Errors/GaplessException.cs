namespace Gapless.Core.Errors;

/// <summary>
/// The root of Gapless's domain errors. Its message is written for the user: one line saying what is wrong
/// and what to do. The CLI and the server translate the family to exit codes and problem+json in one place each.
/// </summary>
public class GaplessException : Exception
{
    public GaplessException()
    {
    }

    public GaplessException(string message)
        : base(message)
    {
    }

    public GaplessException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A request that is wrong before any I/O: unknown provider, unsupported timeframe, bad range.</summary>
public sealed class InvalidRequestException : GaplessException
{
    public InvalidRequestException()
    {
    }

    public InvalidRequestException(string message)
        : base(message)
    {
    }

    public InvalidRequestException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The store failed: locked by another writer past the busy timeout, unwritable, corrupt.</summary>
public sealed class StoreException : GaplessException
{
    public StoreException()
    {
    }

    public StoreException(string message)
        : base(message)
    {
    }

    public StoreException(string message, Exception? innerException, bool isLocked = false)
        : base(message, innerException) => IsLocked = isLocked;

    /// <summary>True when another process held the write lock longer than the busy timeout.</summary>
    public bool IsLocked { get; }
}

/// <summary>Stored data contradicts itself (a segment that does not decode, coverage out of order).</summary>
public sealed class DataIntegrityException : GaplessException
{
    public DataIntegrityException()
    {
    }

    public DataIntegrityException(string message)
        : base(message)
    {
    }

    public DataIntegrityException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
