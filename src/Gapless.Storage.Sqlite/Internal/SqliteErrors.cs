using Gapless.Core.Errors;
using Microsoft.Data.Sqlite;

namespace Gapless.Storage.Sqlite.Internal;

/// <summary>
/// The one place SQLite and file-system failures become Gapless errors with a one-line message a user can act on.
/// </summary>
internal static class SqliteErrors
{
    private const int Perm = 3;
    private const int Busy = 5;
    private const int Locked = 6;
    private const int ReadOnly = 8;
    private const int IoErr = 10;
    private const int Corrupt = 11;
    private const int Full = 13;
    private const int CantOpen = 14;
    private const int Constraint = 19;
    private const int NotADb = 26;

    /// <summary>Translates <paramref name="exception"/> when it is a storage failure; null when it is not ours to translate.</summary>
    public static GaplessException? Translate(Exception exception, string path, TimeSpan busyTimeout) => exception switch
    {
        SqliteException e => FromSqlite(e, path, busyTimeout),
        FormatException e => new DataIntegrityException($"A segment in {path} does not decode ({e.Message}); the file is damaged or was written by a newer Gapless.", e),
        UnauthorizedAccessException e => new StoreException($"Cannot write the store {path}: permission denied. Choose a writable path with --db or GAPLESS_DB.", e),
        DirectoryNotFoundException e => new StoreException($"Cannot create the store {path}: its folder cannot be created. Choose another path with --db or GAPLESS_DB.", e),
        IOException e => new StoreException($"Cannot create the store {path}: {OneLine(e.Message)}. Choose another path with --db or GAPLESS_DB.", e),
        _ => null,
    };

    /// <summary>A transition or finish named a run the store does not hold.</summary>
    public static StoreException NoRun(string path, string runId)
        => new($"The store {path} has no run '{runId}'. List the runs it holds, or check the id.");

    /// <summary>A new run's id is taken.</summary>
    public static StoreException RunExists(string path, string runId)
        => new($"The store {path} already holds a run '{runId}'; run ids are unique, nothing was written. Choose another id.");

    /// <summary>A transition or finish named a run that has already ended.</summary>
    public static StoreException RunFinished(string path, string runId, string status)
        => new($"The run '{runId}' in the store {path} is already {status}; a finished run takes no more transitions, nothing was written.");

    /// <summary>A run row holds a status this Gapless does not know.</summary>
    public static DataIntegrityException UnknownRunStatus(string path, string runId, string status)
        => new($"The run '{runId}' in the store {path} has status '{status}', which this Gapless does not know; it was written by a newer Gapless or by hand.");

    private static StoreException FromSqlite(SqliteException e, string path, TimeSpan busyTimeout)
    {
        var detail = OneLine(e.Message);
        return e.SqliteErrorCode switch
        {
            Busy or Locked => new StoreException(
                $"The store {path} is locked: another Gapless process holds the write lock (waited {busyTimeout.TotalSeconds:0.#} s). Try again when it has finished.",
                e,
                isLocked: true),
            NotADb => new StoreException($"{path} is not a Gapless store (not an SQLite database). Point --db at another file or remove it.", e),
            Corrupt => new StoreException($"The store {path} is damaged ({detail}). Restore it from a backup or point --db at a new file.", e),
            CantOpen => new StoreException($"Cannot open the store {path}: the file or its folder is not accessible. Choose a writable path with --db or GAPLESS_DB.", e),
            ReadOnly or Perm => new StoreException($"Cannot write the store {path}: it is read-only. Choose a writable path with --db or GAPLESS_DB.", e),
            Full => new StoreException($"Cannot write the store {path}: the disk is full. Free some space and try again.", e),
            IoErr => new StoreException($"Cannot read or write the store {path}: disk I/O error ({detail}).", e),
            Constraint => new StoreException($"The store {path} rejected the commit, nothing was written: {detail}.", e),
            _ => new StoreException($"The store {path} failed: {detail}.", e),
        };
    }

    private static string OneLine(string message)
    {
        var line = message.ReplaceLineEndings(" ").Trim();
        return line.StartsWith("SQLite Error ", StringComparison.Ordinal) && line.IndexOf(": ", StringComparison.Ordinal) is var i and > 0
            ? line[(i + 2)..].Trim('\'', ' ', '.')
            : line.TrimEnd('.');
    }
}
