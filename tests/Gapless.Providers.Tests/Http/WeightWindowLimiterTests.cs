using Gapless.Providers.Http;
using Gapless.Testing;

namespace Gapless.Providers.Tests.Http;

public class WeightWindowLimiterTests
{
    // 12:00:40 UTC: 20 s before the next minute window opens.
    private static readonly DateTimeOffset Start = new(2024, 1, 1, 12, 0, 40, TimeSpan.Zero);

    [Fact]
    public void Acquire_WithinBudget_DoesNotWait()
    {
        var clock = new ManualTimeProvider(Start);
        var limiter = new WeightWindowLimiter(10, TimeSpan.FromMinutes(1), 0, clock);

        for (var i = 0; i < 5; i++)
        {
            Assert.True(limiter.AcquireAsync(2).AsTask().IsCompletedSuccessfully);
        }

        Assert.Equal(10, limiter.Used);
    }

    [Fact]
    public async Task Acquire_OverBudget_WaitsForTheNextClockAlignedWindow()
    {
        var clock = new ManualTimeProvider(Start);
        var limiter = new WeightWindowLimiter(10, TimeSpan.FromMinutes(1), 0, clock);
        for (var i = 0; i < 5; i++)
        {
            await limiter.AcquireAsync(2);
        }

        var sixth = limiter.AcquireAsync(2).AsTask();
        clock.Advance(TimeSpan.FromSeconds(19.999));
        Assert.False(sixth.IsCompleted);

        // The window opens at 12:01:00, as Binance's does, not a minute after our first request.
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await sixth.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, limiter.Used);
    }

    [Fact]
    public async Task Acquire_KeepsTheSafetyMarginFree()
    {
        var clock = new ManualTimeProvider(Start);
        var limiter = new WeightWindowLimiter(10, TimeSpan.FromMinutes(1), 4, clock);

        Assert.True(limiter.TryAcquire(2, out _));
        Assert.True(limiter.TryAcquire(2, out _));
        Assert.True(limiter.TryAcquire(2, out _));
        Assert.False(limiter.TryAcquire(2, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(20), wait);
    }

    [Fact]
    public void Acquire_MarginLargerThanLimit_StillLetsOneRequestThroughPerWindow()
    {
        var limiter = new WeightWindowLimiter(10, TimeSpan.FromMinutes(1), 50, new ManualTimeProvider(Start));

        Assert.True(limiter.TryAcquire(2, out _));
        Assert.False(limiter.TryAcquire(2, out _));
    }

    [Fact]
    public void ObserveUsedWeight_VendorCountsMore_RaisesTheCount()
    {
        var clock = new ManualTimeProvider(Start);
        var limiter = new WeightWindowLimiter(10, TimeSpan.FromMinutes(1), 0, clock);
        Assert.True(limiter.TryAcquire(2, out _));

        // Another process on the same IP spent 6.
        limiter.ObserveUsedWeight(8, clock.GetUtcNow());

        Assert.Equal(8, limiter.Used);
        Assert.True(limiter.TryAcquire(2, out _));
        Assert.False(limiter.TryAcquire(2, out _));
    }

    [Fact]
    public void ObserveUsedWeight_VendorCountsLess_KeepsOurCount()
    {
        // The vendor has not seen our requests still in flight.
        var clock = new ManualTimeProvider(Start);
        var limiter = new WeightWindowLimiter(10, TimeSpan.FromMinutes(1), 0, clock);
        Assert.True(limiter.TryAcquire(6, out _));

        limiter.ObserveUsedWeight(2, clock.GetUtcNow());

        Assert.Equal(6, limiter.Used);
    }

    [Fact]
    public void ObserveUsedWeight_FromARequestSentInAnEarlierWindow_IsIgnored()
    {
        var clock = new ManualTimeProvider(Start);
        var limiter = new WeightWindowLimiter(10, TimeSpan.FromMinutes(1), 0, clock);
        var sentAt = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromSeconds(21));

        limiter.ObserveUsedWeight(10, sentAt);

        Assert.Equal(0, limiter.Used);
    }

    [Fact]
    public async Task PauseUntil_BlocksEveryRequestUntilItHasPassed()
    {
        var clock = new ManualTimeProvider(Start);
        var limiter = new WeightWindowLimiter(6000, TimeSpan.FromMinutes(1), 0, clock);
        limiter.PauseUntil(Start.AddSeconds(3));

        var waiting = Enumerable.Range(0, 3).Select(_ => limiter.AcquireAsync(2).AsTask()).ToList();
        clock.Advance(TimeSpan.FromSeconds(2.999));
        Assert.All(waiting, t => Assert.False(t.IsCompleted));
        Assert.Equal(Start.AddSeconds(3), limiter.PausedUntil);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        await Task.WhenAll(waiting).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Null(limiter.PausedUntil);
    }

    [Fact]
    public void PauseUntil_NeverShortensAPause()
    {
        var clock = new ManualTimeProvider(Start);
        var limiter = new WeightWindowLimiter(6000, TimeSpan.FromMinutes(1), 0, clock);

        limiter.PauseUntil(Start.AddSeconds(10));
        limiter.PauseUntil(Start.AddSeconds(1));

        Assert.Equal(Start.AddSeconds(10), limiter.PausedUntil);
    }

    [Fact]
    public async Task Acquire_Cancelled_Throws()
    {
        var clock = new ManualTimeProvider(Start);
        var limiter = new WeightWindowLimiter(2, TimeSpan.FromMinutes(1), 0, clock);
        await limiter.AcquireAsync(2);
        using var cts = new CancellationTokenSource();

        var waiting = limiter.AcquireAsync(2, cts.Token).AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public void Acquire_WeightAboveTheWholeLimit_Throws()
        => Assert.Throws<ArgumentOutOfRangeException>(
            () => new WeightWindowLimiter(10, TimeSpan.FromMinutes(1), 0, new ManualTimeProvider(Start)).TryAcquire(11, out _));

    [Fact]
    public void SetBudget_ShortWindow_AlignsToItsOwnBoundaries()
    {
        var clock = new ManualTimeProvider(Start.AddMilliseconds(1500));
        var limiter = new WeightWindowLimiter(6000, TimeSpan.FromMinutes(1), 0, clock);
        limiter.SetBudget(4, TimeSpan.FromSeconds(2));

        Assert.True(limiter.TryAcquire(4, out _));
        Assert.False(limiter.TryAcquire(2, out var wait));
        Assert.Equal(TimeSpan.FromMilliseconds(500), wait);
    }
}
