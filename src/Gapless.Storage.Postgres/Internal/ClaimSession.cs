using System.Data;
using Npgsql;

namespace Gapless.Storage.Postgres.Internal;

/// <summary>
/// The one long-lived session a <see cref="PostgresFetchCoordinator"/> keeps open, outside the pool's rotation: every
/// claim the coordinator writes names this session (<c>pg_backend_pid()</c> and its <c>backend_start</c>), and stays
/// live exactly as long as the server shows the session. When the process dies, however it dies, the server ends the
/// session and every claim of the process dies with it. Opened on first use; when the server no longer shows it
/// (<see cref="ForgetAsync"/>), the next use opens a new one. Thread-safe.
/// </summary>
internal sealed class ClaimSession(NpgsqlDataSource unpooled) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Open? _open;
    private bool _disposed;

    /// <summary>The session's identity, opening the session when there is none (or Npgsql knows it broke).</summary>
    public async Task<ClaimHolder> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _open) is { Connection.State: ConnectionState.Open } open)
        {
            return open.Holder;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_open is { Connection.State: ConnectionState.Open } current)
            {
                return current.Holder;
            }

            await CloseAsync();
            var connection = await unpooled.OpenConnectionAsync(cancellationToken);
            try
            {
                await using var command = new NpgsqlCommand("SELECT pid, backend_start FROM pg_stat_get_activity(pg_backend_pid());", connection);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                await reader.ReadAsync(cancellationToken);
                var holder = new ClaimHolder(reader.GetInt32(0), reader.GetDateTime(1));
                Volatile.Write(ref _open, new Open(connection, holder));
                return holder;
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Drops the session <paramref name="stale"/> names (the server no longer shows it: killed, or its connection
    /// dropped). Its claims died with it; the next <see cref="GetAsync"/> opens a new session.
    /// </summary>
    public async Task ForgetAsync(ClaimHolder stale)
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            if (_open?.Holder == stale)
            {
                await CloseAsync();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Ends the session: the server drops every claim it holds from then on.</summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            _disposed = true;
            await CloseAsync();
        }
        finally
        {
            _gate.Release();
        }

        await unpooled.DisposeAsync();
    }

    private async Task CloseAsync()
    {
        if (_open is { } open)
        {
            Volatile.Write(ref _open, null);
            try
            {
                await open.Connection.DisposeAsync();
            }
            catch (NpgsqlException)
            {
                // Already broken: the server has ended the session, which is all closing is for.
            }
        }
    }

    private sealed record Open(NpgsqlConnection Connection, ClaimHolder Holder);
}

/// <summary>A claim session as the server knows it: its backend pid and start time (microseconds, UTC).</summary>
internal readonly record struct ClaimHolder(int Pid, DateTime Started);
