namespace Gapless.Providers.Sim;

/// <summary>Options of the simulated market. Every default gives the same bars on every machine.</summary>
public sealed class SimOptions
{
    /// <summary>Seed of the market; the same seed gives the same bars. Default: 42.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>Symbols have no bars before this instant (their "listing"). Default: 2017-01-01T00:00Z.</summary>
    public DateTimeOffset ListedFrom { get; init; } = new(2017, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Share of UTC hours with no bars at all: vendor holes (an outage), so coverage reports have something to
    /// show. 0 disables them. Default: 0.002 (about one hour in 500).
    /// </summary>
    public double HoleRate { get; init; } = 0.002;

    /// <summary>Pause per request, to watch progress as with a real vendor. Default: none.</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.Zero;

    /// <summary>Bars per request, as a vendor would cap it. Default: 1000 (Binance's cap).</summary>
    public int MaxBarsPerRequest { get; init; } = 1000;
}
