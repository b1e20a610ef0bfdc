using Gapless.Providers.Http;
using Gapless.Testing;

namespace Gapless.Providers.Tests.Polygon;

/// <summary>The rolling-window limiter Polygon's free plan goes through (in Http/, tested here beside its first user).</summary>
public class RollingWindowLimiterTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 12, 0, 30, TimeSpan.Zero);

    [Fact]
    public void TryAcquire_UpToTheLimit_ThenWaitsForTheFirstAnswerPlusAWindow()
    {
        var clock = new ManualTimeProvider(T0);
        var limiter = new RollingWindowLimiter(5, TimeSpan.FromMinutes(1), clock);
        var permits = new List<RollingWindowLimiter.Permit>();
        for (var i = 0; i < 5; i++)
        {
            Assert.True(limiter.TryAcquire(out var p, out _));
            permits.Add(p!);
            clock.Advance(TimeSpan.FromSeconds(1));
            p!.Release();
        }

        Assert.False(limiter.TryAcquire(out _, out var wait));

        // The first was answered at T0+1s: room again one minute later, not at the next clock minute (T0+30s).
        Assert.Equal(TimeSpan.FromSeconds(56), wait);
        clock.Advance(TimeSpan.FromSeconds(55.999));
        Assert.False(limiter.TryAcquire(out _, out _));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(limiter.TryAcquire(out _, out _));
    }

    [Fact]
    public void TryAcquire_WhileAllAreInFlight_LooksAgainAfterAWholeWindow()
    {
        var clock = new ManualTimeProvider(T0);
        var limiter = new RollingWindowLimiter(2, TimeSpan.FromMinutes(1), clock);
        Assert.True(limiter.TryAcquire(out var first, out _));
        Assert.True(limiter.TryAcquire(out _, out _));

        Assert.False(limiter.TryAcquire(out _, out var wait));
        Assert.Equal(TimeSpan.FromMinutes(1), wait);

        // A slow answer counts from when it came, so a request sent right after still waits the whole window.
        clock.Advance(TimeSpan.FromMinutes(2));
        first!.Release();
        Assert.False(limiter.TryAcquire(out _, out wait));
        Assert.Equal(TimeSpan.FromMinutes(1), wait);
        Assert.Equal(2, limiter.InUse);
    }

    [Fact]
    public void PauseUntil_StopsEverything_AndIsNeverShortened()
    {
        var clock = new ManualTimeProvider(T0);
        var limiter = new RollingWindowLimiter(int.MaxValue, TimeSpan.FromMinutes(1), clock);

        limiter.PauseUntil(T0.AddSeconds(60));
        limiter.PauseUntil(T0.AddSeconds(10));

        Assert.False(limiter.TryAcquire(out _, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(60), wait);
        Assert.Equal(T0.AddSeconds(60), limiter.PausedUntil);
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.True(limiter.TryAcquire(out _, out _));
        Assert.Null(limiter.PausedUntil);
    }

    [Fact]
    public async Task AcquireAsync_WaitsOnTheClock()
    {
        var clock = new ManualTimeProvider(T0);
        var limiter = new RollingWindowLimiter(1, TimeSpan.FromMinutes(1), clock);
        (await limiter.AcquireAsync()).Release();

        var second = limiter.AcquireAsync().AsTask();
        Assert.False(second.IsCompleted);
        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.NotNull(await second.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
