namespace Gapless.Storage.Postgres.Internal;

/// <summary>
/// The advisory-lock keys the store takes (single 64-bit form, transaction scope). Each spells "gapless" plus a
/// tag, so they stay clear of keys other code in the same database uses. Commits lock the series row instead.
/// </summary>
internal static class AdvisoryLocks
{
    /// <summary>Held while migrations run: processes starting at once apply them one after the other.</summary>
    public const long Migrations = 0x6761706C65737301; // "gapless" 01

    /// <summary>Held while a commit creates bar partitions, so two commits never create the same one.</summary>
    public const long Partitions = 0x6761706C65737302; // "gapless" 02

    /// <summary>
    /// Held while a claim of fetch chunks reads and writes one series' claims, so claims of a series take turns and
    /// never overlap, while commits (which lock the series row) go on. "gclm" in the high 32 bits, the series id in
    /// the low ones: clear of the keys above, whose high bits spell "gapl". Two series share a key only 2^32 ids apart,
    /// and then merely take turns.
    /// </summary>
    public static long FetchClaims(long seriesId) => unchecked((0x67636C6DL << 32) | (uint)seriesId);
}
