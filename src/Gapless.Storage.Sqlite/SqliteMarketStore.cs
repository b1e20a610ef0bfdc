using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Storage.Sqlite.Internal;
using Gapless.Storage.Sqlite.Segments;
using Microsoft.Data.Sqlite;

namespace Gapless.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file holding series, bars in columnar segments (one blob per series and time
/// bucket), coverage, the fetch log and quarantine. Thread-safe: each operation takes a pooled connection;
/// writers in one process queue on a gate, writers in other processes on SQLite's write lock (WAL,
/// <c>BEGIN IMMEDIATE</c>, <see cref="SqliteStoreOptions.BusyTimeout"/>). Readers never wait for writers.
/// Runs (backtests) are recorded in the same file (<see cref="IRunStore"/>, in SqliteMarketStore.Runs.cs).
/// </summary>
public sealed partial class SqliteMarketStore : IMarketStore
{
    private readonly SqliteConnections _connections;
    private readonly SqliteStoreOptions _options;
    private readonly SeriesIds _seriesIds = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private int _disposed;

    private SqliteMarketStore(SqliteConnections connections, SqliteStoreOptions options)
    {
        _connections = connections;
        _options = options;
        Writer = new CommitWriter(connections, _seriesIds, options);
    }

    /// <summary>The full path of the database file.</summary>
    public string Path => _connections.Path;

    internal CommitWriter Writer { get; }

    /// <summary>
    /// Opens the store at <paramref name="path"/>, creating the folder and the file when missing and applying
    /// schema migrations. Safe when several processes open the same file at once.
    /// </summary>
    /// <exception cref="Core.Errors.StoreException">The path cannot be written, is not a Gapless store, or is locked.</exception>
    public static async Task<SqliteMarketStore> OpenAsync(string path, SqliteStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= SqliteStoreOptions.Default;
        if (options.BusyTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BusyTimeout, "BusyTimeout must be positive");
        }

        var full = System.IO.Path.GetFullPath(path);
        var connections = new SqliteConnections(full, options.BusyTimeout);
        try
        {
            if (System.IO.Path.GetDirectoryName(full) is { Length: > 0 } folder)
            {
                Directory.CreateDirectory(folder);
            }

            await using var connection = await connections.OpenAsync(cancellationToken);
            await Migrations.ApplyAsync(connection, full, options.TimeProvider, cancellationToken);
        }
        catch (Exception e) when (SqliteErrors.Translate(e, full, options.BusyTimeout) is { } translated)
        {
            connections.ClearPool();
            throw translated;
        }

        return new SqliteMarketStore(connections, options);
    }

    /// <inheritdoc />
    public async Task<CommitResult> CommitAsync(ChunkCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        return await WriteAsync(() => Writer.CommitAsync(commit, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public async Task RecordFailureAsync(ChunkFailure failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failure);
        await WriteAsync(
            async () =>
            {
                await Writer.RecordFailureAsync(failure, cancellationToken);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<RangeSet> GetCoverageAsync(Series series, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        return ReadAsync(
            async connection => await _seriesIds.FindAsync(connection, null, series, cancellationToken) is { } id
                ? await CoverageRows.ReadAsync(connection, id, cancellationToken)
                : RangeSet.Empty,
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<BarFrame> ReadAsync(Series series, TimeRange range, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (range.IsEmpty)
        {
            return Task.FromResult(BarFrame.Empty);
        }

        return ReadAsync(
            async connection =>
            {
                if (await _seriesIds.FindAsync(connection, null, series, cancellationToken) is not { } id)
                {
                    return BarFrame.Empty;
                }

                var blobs = await SegmentRows.ReadAsync(connection, id, BucketPolicy.For(series.Timeframe), range, cancellationToken);
                long total = 0;
                foreach (var (_, count) in blobs)
                {
                    total += count;
                }

                return FrameAssembler.Build(blobs, range, parallel: total >= _options.ParallelDecodeThreshold);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SeriesSummary>> ListSeriesAsync(SeriesFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return ReadAsync(connection => CatalogQueries.ListSeriesAsync(connection, filter, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<QuarantinedBar>> ReadQuarantineAsync(Series series, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        return ReadAsync(
            async connection => await _seriesIds.FindAsync(connection, null, series, cancellationToken) is { } id
                ? await QuarantineRows.ReadAsync(connection, id, cancellationToken)
                : [],
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<FetchLogEntry>> ReadFetchLogAsync(Series series, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        return ReadAsync(
            async connection => await _seriesIds.FindAsync(connection, null, series, cancellationToken) is { } id
                ? await FetchLogRows.ReadAsync(connection, series, id, cancellationToken)
                : [],
            cancellationToken);
    }

    /// <summary>Schema version, counts and file size, for <c>gapless db info</c>.</summary>
    public Task<SqliteStoreInfo> GetInfoAsync(CancellationToken cancellationToken = default)
        => ReadAsync(connection => CatalogQueries.InfoAsync(connection, Path, cancellationToken), cancellationToken);

    /// <summary>Releases the pooled connections, so the file is closed once no other store instance uses it.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Writer.Dispose();
            _connections.ClearPool();
            _writeGate.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> body, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        try
        {
            await using var connection = await _connections.OpenAsync(cancellationToken);
            return await body(connection);
        }
        catch (Exception e) when (SqliteErrors.Translate(e, Path, _options.BusyTimeout) is { } translated)
        {
            throw translated;
        }
    }

    private async Task<T> WriteAsync<T>(Func<Task<T>> body, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        // Writers of this process take turns here rather than spinning in SQLite's busy handler.
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            return await body();
        }
        catch (Exception e) when (SqliteErrors.Translate(e, Path, _options.BusyTimeout) is { } translated)
        {
            throw translated;
        }
        finally
        {
            _writeGate.Release();
        }
    }
}
