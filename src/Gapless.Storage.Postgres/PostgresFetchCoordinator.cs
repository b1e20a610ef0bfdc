using System.Globalization;
using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Storage.Postgres.Internal;
using Npgsql;

namespace Gapless.Storage.Postgres;

/// <summary>
/// Cross-process single-flight on the shared store: which worker fetches which missing chunk, kept in
/// <c>fetch_claims</c>. A claim takes one short transaction that holds the series' claim lock (an advisory lock, so
/// claims of a series take turns while commits go on), deletes dead claims, reads coverage and live claims, plans
/// what nobody holds and inserts the first chunks. A claim lives as long as this coordinator's own session (one
/// dedicated connection, outside the pool): when the process dies, the server ends the session and its claims are
/// dead at once, so another worker claims those chunks. Created and disposed with its
/// <see cref="PostgresMarketStore"/>. Thread-safe.
/// </summary>
public sealed class PostgresFetchCoordinator : IFetchCoordinator
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(500);

    private readonly NpgsqlDataSource _dataSource;
    private readonly ClaimSession _session;
    private readonly SeriesIds _seriesIds;
    private readonly string _location;
    private readonly PostgresStoreOptions _options;
    private readonly string _host = Environment.MachineName;

    /// <param name="session">The claim session, owned (and disposed) by the store.</param>
    internal PostgresFetchCoordinator(NpgsqlDataSource dataSource, ClaimSession session, SeriesIds seriesIds, string location, PostgresStoreOptions options)
    {
        _dataSource = dataSource;
        _session = session;
        _seriesIds = seriesIds;
        _location = location;
        _options = options;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Chunks the owner already holds are not claimed again. A chunk <paramref name="plan"/> returns that overlaps a
    /// live claim (a plan that widens ranges) is left out.
    /// </remarks>
    public Task<ClaimResult> ClaimAsync(
        Guid owner,
        Series series,
        RangeSet wanted,
        Func<RangeSet, IReadOnlyList<TimeRange>> plan,
        int maxChunks,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(wanted);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfNegative(maxChunks);
        if (wanted.IsEmpty)
        {
            return Task.FromResult(new ClaimResult(RangeSet.Empty, [], RangeSet.Empty));
        }

        return RunAsync(async () =>
        {
            // The server may have ended this process's session since its last claim: claims written now in its
            // name would be dead on arrival, so open a new session and claim again (once).
            return await TryClaimAsync(owner, series, wanted, plan, maxChunks, cancellationToken)
                ?? await TryClaimAsync(owner, series, wanted, plan, maxChunks, cancellationToken)
                ?? throw new StoreException($"The store {_location} ended this process's claim session twice in a row; check the server's idle_session_timeout and connection limits, then try again.");
        });
    }

    /// <inheritdoc />
    public Task ReleaseAsync(Guid owner, Series series, TimeRange chunk, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        return RunAsync(async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            if (await _seriesIds.FindAsync(connection, null, series, cancellationToken) is { } seriesId)
            {
                await ClaimRows.ReleaseAsync(connection, seriesId, chunk, owner, cancellationToken);
            }

            return true;
        });
    }

    /// <inheritdoc />
    /// <remarks>Polls the claims table, 50 ms after the first look, doubling to every 500 ms, on the store's clock.</remarks>
    public async Task WaitForOthersAsync(Guid owner, Series series, RangeSet range, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(range);
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "timeout must not be negative (or Timeout.InfiniteTimeSpan)");
        }

        if (range.IsEmpty)
        {
            return;
        }

        var clock = _options.TimeProvider;
        var started = clock.GetTimestamp();
        var poll = FirstPoll;
        while (await RunAsync(() => FirstBlockerAsync(owner, series, range, cancellationToken)) is { } blocker)
        {
            var left = timeout == Timeout.InfiniteTimeSpan ? poll : timeout - clock.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                throw new StoreException(TimedOutMessage(series, timeout, blocker), null, isLocked: true);
            }

            await Task.Delay(left < poll ? left : poll, clock, cancellationToken);
            poll = poll * 2 < LongestPoll ? poll * 2 : LongestPoll;
        }
    }

    /// <summary>The claim, or null when this process's claim session turned out dead (then nothing was written).</summary>
    private async Task<ClaimResult?> TryClaimAsync(
        Guid owner, Series series, RangeSet wanted, Func<RangeSet, IReadOnlyList<TimeRange>> plan, int maxChunks, CancellationToken cancellationToken)
    {
        var holder = await _session.GetAsync(cancellationToken);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var seriesId = await _seriesIds.FindOrCreateAsync(connection, transaction, series, cancellationToken);
        var state = await ClaimRows.LockAndReadAsync(connection, transaction, seriesId, wanted.Span!.Value, owner, holder, cancellationToken);
        if (!state.HolderAlive)
        {
            await transaction.RollbackAsync(cancellationToken);
            await _session.ForgetAsync(holder);
            return null;
        }

        var missing = wanted.Subtract(state.Coverage);
        var held = state.OwnClaims.Union(state.OthersClaims);
        var free = missing.Subtract(held);
        var chunks = free.IsEmpty || maxChunks == 0
            ? []
            : plan(free).Where(c => !c.IsEmpty && held.Intersect(c).IsEmpty).Take(maxChunks).ToList();
        if (chunks.Count > 0)
        {
            await ClaimRows.InsertAsync(connection, transaction, seriesId, chunks, owner, holder, _host, _options.TimeProvider.GetUtcNow(), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        _seriesIds.Remember(series, seriesId);
        return new ClaimResult(missing, chunks, missing.Intersect(state.OthersClaims));
    }

    private async Task<Blocker?> FirstBlockerAsync(Guid owner, Series series, RangeSet range, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await _seriesIds.FindAsync(connection, null, series, cancellationToken) is { } seriesId
            ? await ClaimRows.FirstBlockerAsync(connection, seriesId, owner, range, cancellationToken)
            : null;
    }

    private string TimedOutMessage(Series series, TimeSpan timeout, Blocker blocker)
        => string.Create(
            CultureInfo.InvariantCulture,
            $"Gave up after {timeout.TotalSeconds:0.###} s waiting for {series} {blocker.Chunk} in {_location}: another Gapless worker (host {blocker.Host}, PostgreSQL session pid {blocker.HolderPid}) has been fetching it since {UtcTime.ToIso(blocker.ClaimedAtMs)}. If that worker is stuck, stop it or run SELECT pg_terminate_backend({blocker.HolderPid}); otherwise try again later.");

    private async Task<T> RunAsync<T>(Func<Task<T>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception e) when (PostgresErrors.Translate(e, _location, _options.LockTimeout) is { } translated)
        {
            throw translated;
        }
    }
}
