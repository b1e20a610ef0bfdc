namespace Gapless.Providers.Tests.Eodhd;

/// <summary>
/// Every test class that talks to a <see cref="FakeVendors.Eodhd.FakeEodhd"/> joins this collection. It runs alone,
/// after the parallel ones: its answers run to tens of megabytes of JSON, and beside it the timing-sensitive rate-limit
/// tests of other vendors (a request must not arrive inside a Retry-After) would see a loaded machine stretch their
/// in-flight grace.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EodhdFakeCollection
{
    public const string Name = "eodhd fake";
}
