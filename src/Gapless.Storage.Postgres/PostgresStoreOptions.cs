namespace Gapless.Storage.Postgres;

/// <summary>Settings of a <see cref="PostgresMarketStore"/>. Every property has a documented default.</summary>
public sealed record PostgresStoreOptions
{
    /// <summary>The default settings.</summary>
    public static readonly PostgresStoreOptions Default = new();

    /// <summary>
    /// How long any statement waits for a lock another session holds (a commit of the same series, a migration,
    /// a partition being created) before failing with <see cref="Core.Errors.StoreException.IsLocked"/>.
    /// Applied as the session's <c>lock_timeout</c>, overriding one given in the connection string. Default 10 s.
    /// </summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The <c>application_name</c> the store's sessions show in <c>pg_stat_activity</c>, unless the connection
    /// string sets one. Default <c>gapless</c>.
    /// </summary>
    public string ApplicationName { get; init; } = "gapless";

    /// <summary>The clock used to stamp migrations and failed chunks without calls. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
