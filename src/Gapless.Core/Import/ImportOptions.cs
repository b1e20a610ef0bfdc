namespace Gapless.Core.Import;

/// <summary>How <see cref="BarImporter"/> batches its commits.</summary>
public sealed record ImportOptions
{
    /// <summary>
    /// The most bars one store transaction holds (default 50,000: a month of 1m bars is one commit). A larger file is
    /// committed in several transactions, each with the coverage its bars prove, so a huge file never builds one giant
    /// transaction and a killed import keeps what it committed.
    /// </summary>
    public int MaxBarsPerCommit { get; init; } = 50_000;

    /// <summary>How many quarantined bars, with reasons, a report keeps per file (default 100); the counts are always complete.</summary>
    public int MaxQuarantineSamples { get; init; } = 100;
}
