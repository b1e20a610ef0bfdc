using Gapless.Core.Model;
using Gapless.Core.Planning;
using Gapless.Core.Ports;
using Gapless.Testing.Postgres;

namespace Gapless.Storage.Postgres.Tests.Coordination;

/// <summary>What the coordinator tests share: a series, a 100-bar plan, minutes from T0, coverage commits.</summary>
internal static class ClaimKit
{
    public const long Minute = 60_000;

    /// <summary>2024-01-01T00:00:00Z.</summary>
    public const long T0 = 1_704_067_200_000;

    public static readonly Series Btc = new("binance", "BTCUSDT", Timeframe.M1);

    /// <summary>At most 100 one-minute bars per request.</summary>
    public static readonly ProviderCapabilities Capabilities = new(100, 2, null, [Timeframe.M1], TimeSpan.Zero);

    public static readonly Func<RangeSet, IReadOnlyList<TimeRange>> Plan = r => ChunkPlanner.Plan(r, Timeframe.M1, Capabilities);

    /// <summary>Minutes <paramref name="from"/>..<paramref name="to"/> after T0, half-open.</summary>
    public static TimeRange M(long from, long to) => new(T0 + (from * Minute), T0 + (to * Minute));

    public static RangeSet Set(params TimeRange[] ranges) => RangeSet.Of(ranges);

    /// <summary>What a fetch of <paramref name="chunk"/> commits when the vendor had no bars there: coverage only.</summary>
    public static Task CoverAsync(IMarketStore store, TimeRange chunk, CancellationToken cancellationToken = default)
        => store.CommitAsync(new ChunkCommit(Btc, chunk, chunk, [], [], []), cancellationToken);

    public static Task<PostgresMarketStore> OpenAsync(TestDatabase db) => PostgresMarketStore.OpenAsync(db.ConnectionString);

    /// <summary>The server pid of the claim session holding <paramref name="owner"/>'s claims.</summary>
    public static async Task<int> HolderPidAsync(TestDatabase db, Guid owner)
        => (int)(await db.ScalarAsync($"SELECT DISTINCT holder_pid FROM fetch_claims WHERE owner = '{owner}'"))!;
}
