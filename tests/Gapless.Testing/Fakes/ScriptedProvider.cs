using System.Collections.Concurrent;
using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;

namespace Gapless.Testing.Fakes;

/// <summary>
/// An in-process provider for engine tests: deterministic bars (a formula of the open time), holes, failures and
/// a gate that holds requests in flight, with a log of every chunk asked for. Thread-safe.
/// </summary>
public sealed class ScriptedProvider : IBarProvider
{
    private readonly ConcurrentQueue<TimeRange> _requests = new();

    public ScriptedProvider(string name = "scripted", int maxBarsPerRequest = 1000, TimeSpan? finalizationDelay = null)
    {
        Name = name;
        Capabilities = new ProviderCapabilities(
            maxBarsPerRequest, 2, new RateBudget(6000, TimeSpan.FromMinutes(1)), Timeframe.All, finalizationDelay ?? TimeSpan.Zero);
    }

    public string Name { get; }

    public ProviderCapabilities Capabilities { get; }

    /// <summary>Ranges where the vendor has no bars (answers, but empty there).</summary>
    public RangeSet Holes { get; set; } = RangeSet.Empty;

    /// <summary>Decides, per chunk, to throw instead of answering. Null answers normally.</summary>
    public Func<TimeRange, VendorException?>? Fail { get; set; }

    /// <summary>Rewrites the answer of a chunk (to inject bad bars). Null leaves it alone.</summary>
    public Func<TimeRange, List<Bar>, List<Bar>>? Tamper { get; set; }

    /// <summary>When set, every request waits for this task before answering (to hold chunks in flight).</summary>
    public Task? Gate { get; set; }

    /// <summary>Every chunk asked for, in arrival order.</summary>
    public IReadOnlyList<TimeRange> Requests => [.. _requests];

    /// <summary>The bar the vendor has at <paramref name="openMs"/> (ground truth).</summary>
    public static Bar BarAt(long openMs)
    {
        var minute = openMs / 60_000;
        var close = 100m + ((minute % 97) / 100m);
        return new Bar(openMs, close - 0.01m, close + 0.05m, close - 0.05m, close, 1.5m + (minute % 7), QuoteVolume: 150.25m, Trades: minute % 50);
    }

    /// <summary>The bars the vendor has in <paramref name="range"/>.</summary>
    public List<Bar> Truth(Timeframe timeframe, TimeRange range)
    {
        var bars = new List<Bar>();
        for (var t = timeframe.Ceiling(range.FromMs); t < range.ToMs; t = timeframe.Add(t, 1))
        {
            if (!Holes.Contains(t))
            {
                bars.Add(BarAt(t));
            }
        }

        return bars;
    }

    public async Task<IReadOnlyList<Bar>> FetchAsync(Series series, TimeRange chunk, VendorCallLog calls, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(calls);
        _requests.Enqueue(chunk);
        if (Gate is { } gate)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (Fail?.Invoke(chunk) is { } error)
        {
            calls.Record(new VendorCall(default, $"scripted:{chunk}", error.HttpStatus, 0, 2, TimeSpan.Zero, error.Message));
            throw error;
        }

        var bars = Truth(series.Timeframe, chunk);
        if (Tamper is not null)
        {
            bars = Tamper(chunk, bars);
        }

        calls.Record(new VendorCall(default, $"scripted:{chunk}", 200, bars.Count, 2, TimeSpan.Zero));
        return bars;
    }
}
