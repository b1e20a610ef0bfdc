using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Storage.Postgres.Internal;
using Npgsql;

namespace Gapless.Storage.Postgres;

/// <summary>
/// The shared store: one PostgreSQL database that any number of Gapless processes use together. Bars are rows of
/// <c>bars</c> (plain <c>timestamptz</c> and <c>numeric</c>, partitioned by month), next to <c>series</c>,
/// <c>coverage</c>, <c>fetch_log</c> and <c>quarantine</c>; <c>gapless_bars</c> joins in the series names for SQL
/// users. A chunk's bars, coverage, quarantine and fetch log commit in one transaction; commits of one series from any
/// number of processes take turns on its series row, so coverage is never lost. Thread-safe: each operation borrows a
/// pooled connection. Runs (backtests) are recorded in the same database (<see cref="IRunStore"/>: tables <c>runs</c> and
/// <c>run_transitions</c>, in PostgresMarketStore.Runs.cs).
/// </summary>
public sealed partial class PostgresMarketStore : IMarketStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresStoreOptions _options;
    private readonly SeriesIds _seriesIds = new();
    private readonly Partitions _partitions = new();
    private readonly ClaimSession _claimSession;
    private readonly PostgresFetchCoordinator _coordinator;
    private int _disposed;

    private PostgresMarketStore(NpgsqlDataSource dataSource, NpgsqlDataSource unpooled, string location, int schemaVersion, PostgresStoreOptions options)
    {
        _dataSource = dataSource;
        _options = options;
        Location = location;
        SchemaVersion = schemaVersion;
        Writer = new CommitWriter(dataSource, _seriesIds, _partitions, options);
        _claimSession = new ClaimSession(unpooled);
        _coordinator = new PostgresFetchCoordinator(dataSource, _claimSession, _seriesIds, location, options);
        SharedRateLimits = new PostgresSharedRateLimits(dataSource, location, options);
    }

    /// <summary>The schema version this Gapless writes (migrations bring a database up to it on open).</summary>
    public static int LatestSchemaVersion => Migrations.Latest;

    /// <summary>The database as <c>postgres://user@host:port/database</c>, without the password: safe to show.</summary>
    public string Location { get; }

    /// <summary>The schema version in place when the store was opened.</summary>
    public int SchemaVersion { get; }

    /// <summary>
    /// Decides which worker fetches each missing chunk, across every process sharing this database (claims in
    /// <c>fetch_claims</c>, alive as long as this store's own session). It keeps one connection of its own open from
    /// its first claim until the store is disposed; disposing the store ends every claim still held.
    /// </summary>
    public IFetchCoordinator FetchCoordinator => _coordinator;

    /// <summary>
    /// The vendors' rate budgets, shared by every process using this database (<c>rate_windows</c>,
    /// <c>rate_pauses</c>): give it to each provider (e.g. <c>BinanceOptions.SharedRateLimits</c>) so workers together
    /// stay inside a vendor's limit, and a 429 seen by one pauses them all. One round trip per call, on the store's
    /// pooled connections; usable until the store is disposed.
    /// </summary>
    public ISharedRateLimits SharedRateLimits { get; }

    internal CommitWriter Writer { get; }

    /// <summary>
    /// True when <paramref name="location"/> names a PostgreSQL database rather than a file: a <c>postgres://</c> or
    /// <c>postgresql://</c> URL, or a key=value connection string naming a host, database or user. For the CLI, to
    /// choose a store for <c>--db</c>.
    /// </summary>
    public static bool LooksLikePostgres(string location) => ConnectionStrings.LooksLikePostgres(location);

    /// <summary>
    /// Connects to the database and applies schema migrations (safe when several processes open it at once).
    /// </summary>
    /// <param name="connection">
    /// <c>postgres://user:password@host:port/database</c> (or <c>postgresql://</c>; query parameters such as
    /// <c>sslmode=require</c> or <c>application_name=x</c> pass through, with libpq names), a libpq key=value string
    /// (<c>host=h port=5432 dbname=d user=u password='p w'</c>), or an Npgsql connection string. Missing parts come
    /// from the usual PG* environment variables where Npgsql reads them (PGPASSWORD, PGHOST, ...).
    /// </param>
    /// <exception cref="InvalidRequestException">The connection string does not parse.</exception>
    /// <exception cref="StoreException">The server cannot be reached, refuses the login, the database is missing or newer, or a migration is locked.</exception>
    public static async Task<PostgresMarketStore> OpenAsync(string connection, PostgresStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connection);
        options ??= PostgresStoreOptions.Default;
        if (options.LockTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.LockTimeout, "LockTimeout must be positive");
        }

        var builder = ConnectionStrings.Parse(connection);
        var location = ConnectionStrings.Describe(builder);
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = options.ApplicationName;
        }

        // A startup option, so every statement of every session waits at most this long for a lock.
        var lockTimeoutMs = (long)Math.Ceiling(options.LockTimeout.TotalMilliseconds);
        builder.Options = $"{builder.Options} -c lock_timeout={lockTimeoutMs}".Trim();

        var dataSource = NpgsqlDataSource.Create(builder);
        var unpooled = NpgsqlDataSource.Create(ClaimSessionSettings(builder));
        try
        {
            await using var session = await dataSource.OpenConnectionAsync(cancellationToken);
            var version = await Migrations.ApplyAsync(session, location, options.TimeProvider, cancellationToken);
            return new PostgresMarketStore(dataSource, unpooled, location, version, options);
        }
        catch (Exception e)
        {
            await dataSource.DisposeAsync();
            await unpooled.DisposeAsync();
            if (PostgresErrors.Translate(e, location, options.LockTimeout) is { } translated)
            {
                throw translated;
            }

            throw;
        }
    }

    /// <inheritdoc />
    public Task<CommitResult> CommitAsync(ChunkCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        return RunAsync(() => Writer.CommitAsync(commit, cancellationToken));
    }

    /// <inheritdoc />
    public Task RecordFailureAsync(ChunkFailure failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return RunAsync(
            async () =>
            {
                await Writer.RecordFailureAsync(failure, cancellationToken);
                return true;
            });
    }

    /// <inheritdoc />
    public Task<RangeSet> GetCoverageAsync(Series series, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        return ReadAsync(
            async connection => await _seriesIds.FindAsync(connection, null, series, cancellationToken) is { } id
                ? await CoverageRows.ReadAsync(connection, null, id, cancellationToken)
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

                var capacity = (int)Math.Clamp(series.Timeframe.CountBars(range), 16, 1 << 20);
                return await BarCopy.ReadAsync(connection, id, range, capacity, cancellationToken);
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

    /// <summary>Kind, schema version, counts, size on disk and the partitions of <c>bars</c>, for <c>gapless db info</c>.</summary>
    public Task<PostgresStoreInfo> GetInfoAsync(CancellationToken cancellationToken = default)
        => ReadAsync(connection => CatalogQueries.InfoAsync(connection, Location, cancellationToken), cancellationToken);

    /// <summary>Ends the fetch coordinator's session (and with it every claim still held), then closes the pooled connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _claimSession.DisposeAsync();
            await _dataSource.DisposeAsync();
        }
    }

    /// <summary>
    /// The fetch coordinator's own session: never pooled (a pooled connection would go back to the pool's rotation and
    /// outlive the store), and pinged every 30 s unless the connection string says otherwise, so a dropped
    /// connection is noticed while idle.
    /// </summary>
    private static NpgsqlConnectionStringBuilder ClaimSessionSettings(NpgsqlConnectionStringBuilder pooled)
    {
        var unpooled = new NpgsqlConnectionStringBuilder(pooled.ConnectionString) { Pooling = false };
        if (unpooled.KeepAlive == 0)
        {
            unpooled.KeepAlive = 30;
        }

        return unpooled;
    }

    private async Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> body, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            return await body(connection);
        }
        catch (Exception e) when (PostgresErrors.Translate(e, Location, _options.LockTimeout) is { } translated)
        {
            throw translated;
        }
    }

    private async Task<T> RunAsync<T>(Func<Task<T>> body)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        try
        {
            return await body();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation && e.MessageText.Contains("no partition", StringComparison.Ordinal))
        {
            // A partition was dropped by hand after this process saw it: look again next time.
            _partitions.Forget();
            throw PostgresErrors.Translate(e, Location, _options.LockTimeout)!;
        }
        catch (Exception e) when (PostgresErrors.Translate(e, Location, _options.LockTimeout) is { } translated)
        {
            throw translated;
        }
    }
}
