using Gapless.Testing;

namespace Gapless.Providers.Tests.Polygon;

/// <summary>
/// A <see cref="ManualTimeProvider"/> that moves only when the code under test waits for it: <see cref="RunAsync{T}"/>
/// jumps the clock to the earliest timer due within <c>longest</c> (a rate-limit wait, a 429 pause, a retry backoff)
/// whenever one is pending, and otherwise lets real work (HTTP to the fake) finish. Minutes of rate limiting then pass
/// in milliseconds, and every instant the fake logs is one the client could have chosen. Timers due later than
/// <c>longest</c> (attempt timeouts, set long in these tests) never fire. Thread-safe.
/// </summary>
internal sealed class SteppingClock : TimeProvider
{
    private readonly ManualTimeProvider _clock;
    private readonly Lock _gate = new();
    private readonly List<Tracked> _timers = [];

    public SteppingClock(DateTimeOffset start) => _clock = new ManualTimeProvider(start);

    public override DateTimeOffset GetUtcNow() => _clock.GetUtcNow();

    public override long TimestampFrequency => _clock.TimestampFrequency;

    public override long GetTimestamp() => _clock.GetTimestamp();

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Moves the clock by hand, firing what falls due.</summary>
    public void Advance(TimeSpan delta) => _clock.Advance(delta);

    /// <summary>Runs <paramref name="work"/> to its end, jumping over every wait of at most <paramref name="longest"/>.</summary>
    public async Task<T> RunAsync<T>(Task<T> work, TimeSpan longest)
    {
        ArgumentNullException.ThrowIfNull(work);
        var started = TimeProvider.System.GetTimestamp();
        while (!work.IsCompleted)
        {
            if (NextDue(longest) is { } due)
            {
                _clock.Advance(due - GetUtcNow() > TimeSpan.Zero ? due - GetUtcNow() : TimeSpan.Zero);
                await Task.Yield();
                continue;
            }

            if (TimeProvider.System.GetElapsedTime(started) > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("the work neither finished nor waited on the clock for 60 s of real time");
            }

            await Task.WhenAny(work, Task.Delay(2));
        }

        return await work;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var tracked = new Tracked(this);
        lock (_gate)
        {
            _timers.Add(tracked);
        }

        tracked.Inner = _clock.CreateTimer(
            s =>
            {
                tracked.Fired();
                callback(s);
            },
            state,
            Timeout.InfiniteTimeSpan,
            Timeout.InfiniteTimeSpan);
        tracked.Change(dueTime, period);
        return tracked;
    }

    private DateTimeOffset? NextDue(TimeSpan longest)
    {
        var now = GetUtcNow();
        lock (_gate)
        {
            return _timers.Select(t => t.DueAt).Where(d => d is { } due && due - now <= longest).Min();
        }
    }

    private sealed class Tracked(SteppingClock owner) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public ITimer Inner { get; set; } = null!;

        public DateTimeOffset? DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                _period = period;
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : owner.GetUtcNow() + dueTime;
            }

            return Inner.Change(dueTime, period);
        }

        public void Fired()
        {
            lock (owner._gate)
            {
                DueAt = _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? null : owner.GetUtcNow() + _period;
            }
        }

        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
            }

            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
