using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Gapless.Storage.Sqlite.Internal;

/// <summary>
/// Opens pooled connections to one store file, each set up the same way: WAL (persistent, set at open),
/// a busy timeout, synchronous=NORMAL (durable against process crashes; WAL keeps the file consistent),
/// memory-mapped reads, checkpoints every 16 MB of WAL.
/// </summary>
internal sealed class SqliteConnections
{
    private static readonly Lazy<bool> Initialised = new(() =>
    {
        SQLitePCL.Batteries_V2.Init();
        return true;
    });

    /// <summary>
    /// Reads map the file rather than copy each page through read(2): a year of 1m bars is a few MB of segment
    /// pages, and fetching them page by page cost as much as decoding them. Only address space; 0 on platforms
    /// without mmap (SQLite ignores it there).
    /// </summary>
    private const long MmapBytes = 1L << 30;

    /// <summary>
    /// WAL frames (pages) after which a commit checkpoints the WAL into the database file: 16 MB of 4 KB pages,
    /// rather than SQLite's 1000. Each checkpoint pays two fsyncs and rewrites every page it copies; bursts of
    /// small commits (a backfill's 1000-bar chunks) rewrite the same leaf and coverage pages many times, so fewer,
    /// larger checkpoints copy each page once. Crash safety is unchanged: committed frames are in the WAL either way.
    /// </summary>
    private const int WalCheckpointPages = 4096;

    private readonly string _pragmas;

    public SqliteConnections(string path, TimeSpan busyTimeout)
    {
        _ = Initialised.Value;
        Path = path;
        BusyTimeout = busyTimeout;
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,

            // The driver retries busy statements until this many seconds pass (0 would mean forever).
            DefaultTimeout = Math.Max(1, (int)busyTimeout.TotalSeconds),
        }.ToString();
        _pragmas = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL; PRAGMA mmap_size = {MmapBytes}; PRAGMA wal_autocheckpoint = {WalCheckpointPages};");
    }

    public string Path { get; }

    public TimeSpan BusyTimeout { get; }

    public string ConnectionString { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            using var command = connection.CreateCommand();
            command.CommandText = _pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Closes the pooled connections so the file is released.</summary>
    public void ClearPool()
    {
        using var connection = new SqliteConnection(ConnectionString);
        SqliteConnection.ClearPool(connection);
    }
}
