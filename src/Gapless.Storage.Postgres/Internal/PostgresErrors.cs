using System.Globalization;
using System.Net.Sockets;
using Gapless.Core.Errors;
using Npgsql;

namespace Gapless.Storage.Postgres.Internal;

/// <summary>
/// The one place Npgsql and PostgreSQL failures become Gapless errors with a one-line message a user can act on.
/// Messages name the store as <c>postgres://user@host:port/db</c> (<see cref="ConnectionStrings.Describe"/>), never
/// with its password. Cancellation is not translated: it stays an <see cref="OperationCanceledException"/>.
/// </summary>
internal static class PostgresErrors
{
    /// <summary>Translates <paramref name="exception"/> when it is a storage failure; null when it is not ours to translate.</summary>
    public static GaplessException? Translate(Exception exception, string location, TimeSpan lockTimeout) => exception switch
    {
        OperationCanceledException => null,
        PostgresException e => FromServer(e, location, lockTimeout),
        NpgsqlException { InnerException: OperationCanceledException } => null,
        NpgsqlException e => FromClient(e, location),
        InvalidCastException or OverflowException => new DataIntegrityException(
            $"The store {location} holds a value Gapless cannot read ({OneLine(exception.Message)}); a row was changed outside Gapless. Fix or delete it with psql.",
            exception),
        _ => null,
    };

    /// <summary>The message of a lock wait that ran past <paramref name="lockTimeout"/>.</summary>
    public static string LockedMessage(string location, TimeSpan lockTimeout, string what)
        => string.Create(
            CultureInfo.InvariantCulture,
            $"The store {location} is locked: {what} held a lock longer than the lock timeout ({lockTimeout.TotalSeconds:0.###} s). Try again when it has finished, or raise the timeout.");

    /// <summary>A transition or finish named a run the store does not hold.</summary>
    public static StoreException NoRun(string location, string runId)
        => new($"The store {location} has no run '{runId}'. List the runs it holds, or check the id.");

    /// <summary>A new run's id is taken.</summary>
    public static StoreException RunExists(string location, string runId)
        => new($"The store {location} already holds a run '{runId}'; run ids are unique, nothing was written. Choose another id.");

    /// <summary>A transition or finish named a run that has already ended.</summary>
    public static StoreException RunFinished(string location, string runId, string status)
        => new($"The run '{runId}' in the store {location} is already {status}; a finished run takes no more transitions, nothing was written.");

    /// <summary>A run row holds a status this Gapless does not know.</summary>
    public static DataIntegrityException UnknownRunStatus(string location, string runId, string status)
        => new($"The run '{runId}' in the store {location} has status '{status}', which this Gapless does not know; it was written by a newer Gapless or by hand.");

    private static GaplessException FromServer(PostgresException e, string location, TimeSpan lockTimeout)
    {
        var detail = OneLine(e.MessageText);
        var state = e.SqlState;
        return state switch
        {
            PostgresErrorCodes.LockNotAvailable => new StoreException(LockedMessage(location, lockTimeout, "another Gapless process or session"), e, isLocked: true),
            PostgresErrorCodes.DeadlockDetected => new StoreException(
                $"The store {location} is locked: the commit deadlocked with another session and was rolled back, nothing was written. Try again.", e, isLocked: true),
            PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification => new StoreException(
                $"Cannot log in to {location}: {detail}. Check the user and password in --db or GAPLESS_DB (or PGPASSWORD).", e),
            PostgresErrorCodes.InvalidCatalogName => new StoreException(
                $"Cannot open {location}: the database does not exist. Create it (createdb) or point --db at another database.", e),
            PostgresErrorCodes.InsufficientPrivilege => new StoreException(
                $"The store {location} refused the operation: {detail}. Grant the user the rights to create and write tables in the database.", e),
            PostgresErrorCodes.DiskFull => new StoreException($"Cannot write the store {location}: the server's disk is full. Free some space and try again.", e),
            PostgresErrorCodes.TooManyConnections => new StoreException($"Cannot connect to {location}: the server has too many connections. Try again later or raise max_connections.", e),
            PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow => new StoreException(
                $"The PostgreSQL server of {location} closed the session ({detail}); nothing of the interrupted commit was written. Try again when it is back.", e),
            PostgresErrorCodes.DataCorrupted or PostgresErrorCodes.IndexCorrupted => new DataIntegrityException(
                $"The store {location} is damaged ({detail}). Restore it from a backup.", e),
            _ when state.StartsWith("23", StringComparison.Ordinal) => new StoreException(
                $"The store {location} rejected the commit, nothing was written: {detail}.", e),
            _ when state.StartsWith("22", StringComparison.Ordinal) => new StoreException(
                $"The store {location} rejected a value, nothing was written: {detail}.", e),
            _ when state.StartsWith("42", StringComparison.Ordinal) => new StoreException(
                $"The store {location} does not have the schema this Gapless expects ({detail}). Was a table changed by hand?", e),
            _ => new StoreException($"The store {location} failed: {detail} (SQLSTATE {state}).", e),
        };
    }

    private static StoreException FromClient(NpgsqlException e, string location)
    {
        for (Exception? inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case SocketException s:
                    return new StoreException(
                        $"Cannot reach the PostgreSQL server of {location} ({OneLine(s.Message)}). Check that it is running and that --db or GAPLESS_DB points at it.", e);
                case TimeoutException:
                    return new StoreException($"The PostgreSQL server of {location} did not answer in time. Check that it is running and reachable.", e);
                case IOException io:
                    return new StoreException(
                        $"The connection to {location} broke ({OneLine(io.Message)}); nothing of the interrupted commit was written. Try again.", e);
                default:
                    break;
            }
        }

        return new StoreException($"The store {location} failed: {OneLine(e.Message)}.", e);
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim().TrimEnd('.');
}
