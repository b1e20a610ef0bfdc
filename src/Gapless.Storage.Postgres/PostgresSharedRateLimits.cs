using Gapless.Core.Errors;
using Gapless.Core.Ports;
using Gapless.Storage.Postgres.Internal;
using Npgsql;

namespace Gapless.Storage.Postgres;

/// <summary>
/// The vendors' rate budgets, shared by every worker of one database: weight spent per vendor and window in
/// <c>rate_windows</c>, pauses in <c>rate_pauses</c>. Each call is one statement on a pooled connection (one round
/// trip): windows are cut by the database's clock (<c>clock_timestamp()</c>, aligned on multiples of the window since
/// the Unix epoch), so workers on machines whose clocks differ still agree on them; a spend is one conditional upsert,
/// so concurrent spenders never take a window past its budget. Pauses are instants the caller gives (its clock), which
/// the database compares with its own: worker and database clocks must agree to well under a Retry-After (NTP).
/// Once an hour per instance, a spend also deletes windows and pauses that ended more than a day ago. Created and
/// disposed with its <see cref="PostgresMarketStore"/>. Thread-safe.
/// </summary>
internal sealed class PostgresSharedRateLimits : ISharedRateLimits
{
    private static readonly TimeSpan SweepEvery = TimeSpan.FromHours(1);

    // Refuses while a pause is in force; otherwise adds weight to the current window unless that takes it past the
    // budget. ON CONFLICT DO UPDATE re-checks its WHERE on the row's latest version under the row lock, so spenders
    // of the same window take turns and none sees a stale count. The answer is how long to wait: zero when spent.
    // The sweep (old rows, only when $5) skips rows another session has locked: never a wait, never a deadlock.
    private const string SpendSql = """
        WITH clock AS MATERIALIZED (
            SELECT clock_timestamp() AS now),
        win AS MATERIALIZED (
            SELECT now, date_bin($3, now, timestamptz 'epoch') AS start FROM clock),
        pause AS MATERIALIZED (
            SELECT max(p.until) AS until FROM rate_pauses p, win WHERE p.vendor = $1 AND p.until > win.now),
        spend AS (
            INSERT INTO rate_windows AS r (vendor, window_length, window_start, used)
            SELECT $1, $3, win.start, $2 FROM win, pause WHERE pause.until IS NULL
            ON CONFLICT (vendor, window_length, window_start) DO UPDATE SET used = r.used + excluded.used
                WHERE r.used + excluded.used <= $4
            RETURNING 1),
        sweep_windows AS (
            DELETE FROM rate_windows WHERE (vendor, window_length, window_start) IN (
                SELECT vendor, window_length, window_start FROM rate_windows, clock
                WHERE $5 AND window_start + window_length < clock.now - interval '1 day'
                FOR UPDATE OF rate_windows SKIP LOCKED)),
        sweep_pauses AS (
            DELETE FROM rate_pauses WHERE vendor IN (
                SELECT vendor FROM rate_pauses, clock WHERE $5 AND until < clock.now - interval '1 day'
                FOR UPDATE OF rate_pauses SKIP LOCKED))
        SELECT CASE
            WHEN EXISTS (SELECT FROM spend) THEN interval '0'
            WHEN pause.until IS NOT NULL THEN pause.until - win.now
            ELSE win.start + $3 - win.now
        END
        FROM win, pause;
        """;

    // Raises the current window's count to what the vendor reported; never lowers it.
    private const string ObserveSql = """
        INSERT INTO rate_windows AS r (vendor, window_length, window_start, used)
        VALUES ($1, $2, date_bin($2, clock_timestamp(), timestamptz 'epoch'), $3)
        ON CONFLICT (vendor, window_length, window_start) DO UPDATE SET used = excluded.used
            WHERE r.used < excluded.used;
        """;

    // Extends the vendor's pause; never shortens it.
    private const string PauseSql = """
        INSERT INTO rate_pauses AS p (vendor, until) VALUES ($1, $2)
        ON CONFLICT (vendor) DO UPDATE SET until = excluded.until
            WHERE p.until < excluded.until;
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _location;
    private readonly PostgresStoreOptions _options;
    private long _nextSweepMs = long.MinValue;

    internal PostgresSharedRateLimits(NpgsqlDataSource dataSource, string location, PostgresStoreOptions options)
    {
        _dataSource = dataSource;
        _location = location;
        _options = options;
    }

    /// <inheritdoc />
    /// <remarks>The wait is to the window's end or the pause's, by the database's clock, never zero when refused.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="weight"/> is negative or larger than the whole budget.</exception>
    /// <exception cref="StoreException">The database failed; nothing was spent.</exception>
    public async Task<TimeSpan> TrySpendAsync(string vendor, int weight, RateBudget budget, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vendor);
        CheckBudget(budget);
        ArgumentOutOfRangeException.ThrowIfNegative(weight);
        if (weight > budget.Weight)
        {
            throw new ArgumentOutOfRangeException(
                nameof(weight), weight, $"a request of weight {weight} never fits a budget of {budget.Weight} per {budget.Window}");
        }

        var sweep = SweepDue();
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = await PreparedAsync(
                connection,
                SpendSql,
                cancellationToken,
                new NpgsqlParameter<string> { TypedValue = vendor },
                new NpgsqlParameter<int> { TypedValue = weight },
                new NpgsqlParameter<TimeSpan> { TypedValue = budget.Window },
                new NpgsqlParameter<int> { TypedValue = budget.Weight },
                new NpgsqlParameter<bool> { TypedValue = sweep });
            var wait = (TimeSpan)(await command.ExecuteScalarAsync(cancellationToken))!;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        catch (Exception e) when (Translate(e, vendor, "spent") is { } translated)
        {
            if (sweep)
            {
                Volatile.Write(ref _nextSweepMs, long.MinValue); // the sweep did not happen: try it next time
            }

            throw translated;
        }
    }

    /// <inheritdoc />
    /// <exception cref="StoreException">The database failed.</exception>
    public async Task ObserveUsedAsync(string vendor, RateBudget budget, int used, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vendor);
        CheckBudget(budget);
        ArgumentOutOfRangeException.ThrowIfNegative(used);
        if (used == 0)
        {
            return; // nothing to raise
        }

        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = await PreparedAsync(
                connection,
                ObserveSql,
                cancellationToken,
                new NpgsqlParameter<string> { TypedValue = vendor },
                new NpgsqlParameter<TimeSpan> { TypedValue = budget.Window },
                new NpgsqlParameter<int> { TypedValue = used });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception e) when (Translate(e, vendor, "updated") is { } translated)
        {
            throw translated;
        }
    }

    /// <inheritdoc />
    /// <exception cref="StoreException">The database failed.</exception>
    public async Task PauseAsync(string vendor, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vendor);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(PauseSql, connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = vendor });
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = until.UtcDateTime });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception e) when (Translate(e, vendor, "paused") is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>
    /// The statement, prepared on <paramref name="connection"/>'s server session: Npgsql keeps it prepared there across
    /// uses of the pooled connection, so only the first use of each session pays for the parse and plan.
    /// </summary>
    private static async Task<NpgsqlCommand> PreparedAsync(
        NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        try
        {
            await command.PrepareAsync(cancellationToken);
            return command;
        }
        catch
        {
            await command.DisposeAsync();
            throw;
        }
    }

    private static void CheckBudget(RateBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        if (budget.Weight < 1 || budget.Window < TimeSpan.FromMilliseconds(1) || budget.Window > TimeSpan.FromDays(31))
        {
            throw new ArgumentOutOfRangeException(
                nameof(budget), budget, $"a rate budget needs a weight of at least 1 and a window from 1 ms to 31 days, not {budget.Weight} per {budget.Window}");
        }
    }

    /// <summary>True for one caller an hour (the first call of an instance included), by the store's clock.</summary>
    private bool SweepDue()
    {
        var now = _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var due = Volatile.Read(ref _nextSweepMs);
        return now >= due
            && Interlocked.CompareExchange(ref _nextSweepMs, now + (long)SweepEvery.TotalMilliseconds, due) == due;
    }

    private StoreException? Translate(Exception exception, string vendor, string what)
        => PostgresErrors.Translate(exception, _location, _options.LockTimeout) is { } translated
            ? new StoreException(
                $"The shared rate budget of {vendor} could not be {what}, so nothing is sent to it: {translated.Message}",
                exception,
                translated is StoreException { IsLocked: true })
            : null;
}
