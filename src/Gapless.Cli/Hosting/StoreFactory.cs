using Gapless.Core.Ports;
using Gapless.Storage.Postgres;
using Gapless.Storage.Sqlite;

namespace Gapless.Cli;

/// <summary>
/// Opens the store <c>--db</c> names: a <c>postgres://</c> URL or libpq key=value string selects PostgreSQL (shared
/// by many workers); anything else is a SQLite file path. Opening applies pending migrations.
/// </summary>
internal static class StoreFactory
{
    public static async Task<IMarketStore> OpenAsync(string location, CancellationToken cancellationToken)
        => PostgresMarketStore.LooksLikePostgres(location)
            ? await PostgresMarketStore.OpenAsync(location, cancellationToken: cancellationToken).ConfigureAwait(false)
            : await SqliteMarketStore.OpenAsync(location, cancellationToken: cancellationToken).ConfigureAwait(false);
}
