using System.Runtime.InteropServices;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Storage.Sqlite.Segments;
using Microsoft.Data.Sqlite;

namespace Gapless.Storage.Sqlite.Internal;

// CommitWriter, in part: the writer connection and its prepared statements.
internal sealed partial class CommitWriter
{
    /// <summary>The writer connection and its prepared statements, transaction control included.</summary>
    private sealed class Session : IDisposable
    {
        private readonly SqliteCommand _begin;
        private readonly SqliteCommand _commit;
        private readonly SqliteCommand _rollback;
        private readonly SqliteCommand _dataVersion;
        private long? _validVersion;
        private long _seenVersion;

        public Session(SqliteConnection connection)
        {
            Connection = connection;
            Segments = new(connection);
            Coverage = new(connection);
            _begin = Db.Command(connection, null, "BEGIN IMMEDIATE;");
            _commit = Db.Command(connection, null, "COMMIT;");
            _rollback = Db.Command(connection, null, "ROLLBACK;");
            _dataVersion = Db.Command(connection, null, "PRAGMA data_version;");
        }

        public SqliteConnection Connection { get; }

        public SegmentRows.Writer Segments { get; }

        public CoverageRows.Writer Coverage { get; }

        /// <summary>Takes the write lock (waiting up to the busy timeout for another process's) and opens a transaction.</summary>
        public async Task BeginAsync(CancellationToken cancellationToken) => await _begin.ExecuteNonQueryAsync(cancellationToken);

        public async Task CommitAsync(CancellationToken cancellationToken) => await _commit.ExecuteNonQueryAsync(cancellationToken);

        /// <summary>
        /// Inside the write transaction: forgets the remembered parts and coverage rows unless the file is as this
        /// connection left it. data_version moves whenever another connection (another store, another process) has
        /// committed since; this connection's own commits leave it unchanged.
        /// </summary>
        public void CheckDataVersion()
        {
            _seenVersion = (long)_dataVersion.ExecuteScalar()!;
            if (_validVersion != _seenVersion)
            {
                Segments.Forget();
                Coverage.Forget();
            }
        }

        /// <summary>The transaction committed: what is remembered is the file's state as of <see cref="CheckDataVersion"/>'s version.</summary>
        public void Committed() => _validVersion = _seenVersion;

        /// <summary>A transaction failed: nothing remembered can be trusted.</summary>
        public void Forget()
        {
            _validVersion = null;
            Segments.Forget();
            Coverage.Forget();
        }

        /// <summary>Rolls back the open transaction, if SQLite has not already.</summary>
        public void Rollback()
        {
            if (Connection.State == System.Data.ConnectionState.Open && SQLitePCL.raw.sqlite3_get_autocommit(Connection.Handle) == 0)
            {
                _rollback.ExecuteNonQuery();
            }
        }

        public void Dispose()
        {
            Segments.Dispose();
            Coverage.Dispose();
            _begin.Dispose();
            _commit.Dispose();
            _rollback.Dispose();
            _dataVersion.Dispose();
            Connection.Dispose();
        }
    }
}
