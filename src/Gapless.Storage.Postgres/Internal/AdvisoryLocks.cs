namespace Gapless.Storage.Postgres.Internal;

/// <summary>
/// The advisory-lock keys the store takes (single 64-bit form, transaction scope). Each spells "gapless" plus a
/// tag, so they stay clear of keys other code in the same database uses. Per-series work locks the series row instead.
/// </summary>
internal static class AdvisoryLocks
{
    /// <summary>Held while migrations run: processes starting at once apply them one after the other.</summary>
    public const long Migrations = 0x6761706C65737301; // "gapless" 01

    /// <summary>Held while a commit creates bar partitions, so two commits never create the same one.</summary>
    public const long Partitions = 0x6761706C65737302; // "gapless" 02
}
