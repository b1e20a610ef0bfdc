namespace Gapless.Providers.Http;

/// <summary>
/// At most <c>limit</c> requests in any rolling window (not clock-aligned windows): for vendors that count a plain
/// number of requests per minute without saying how they count (Polygon's free plan: 5 per minute), the strictest
/// reading is the only one that never earns a 429. A request counts from when it is sent until one window after its
/// answer arrived (<see cref="Permit.Release"/>): the vendor counted it somewhere in between, and a slow first answer
/// must not let a sixth request into the same vendor minute. A 429 stops every request until
/// <see cref="PauseUntil"/> has passed. Time comes from a <see cref="TimeProvider"/>, so tests run it on a manual
/// clock. Thread-safe; shared by every request to one vendor account in the process.
/// </summary>
internal sealed class RollingWindowLimiter
{
    private readonly TimeProvider _time;
    private readonly long _windowMs;
    private readonly Lock _gate = new();
    private readonly List<Permit> _permits = [];
    private long _pausedUntilMs = long.MinValue;

    /// <param name="limit">Requests allowed in any window.</param>
    /// <param name="window">The window's length.</param>
    /// <param name="timeProvider">The clock.</param>
    public RollingWindowLimiter(int limit, TimeSpan window, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.FromMilliseconds(1));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        Limit = limit;
        _windowMs = (long)window.TotalMilliseconds;
    }

    /// <summary>Requests allowed in any window.</summary>
    public int Limit { get; }

    /// <summary>The window's length.</summary>
    public TimeSpan Window => TimeSpan.FromMilliseconds(_windowMs);

    /// <summary>Requests counted now: in flight, or answered less than one window ago.</summary>
    public int InUse
    {
        get
        {
            lock (_gate)
            {
                Expire(NowMs());
                return _permits.Count;
            }
        }
    }

    /// <summary>The end of the current pause, or null when requests may go.</summary>
    public DateTimeOffset? PausedUntil
    {
        get
        {
            lock (_gate)
            {
                return _pausedUntilMs > NowMs() ? DateTimeOffset.FromUnixTimeMilliseconds(_pausedUntilMs) : null;
            }
        }
    }

    /// <summary>Sends nothing before <paramref name="until"/> (after a 429). Never shortens a pause.</summary>
    public void PauseUntil(DateTimeOffset until)
    {
        lock (_gate)
        {
            _pausedUntilMs = Math.Max(_pausedUntilMs, until.ToUnixTimeMilliseconds());
        }
    }

    /// <summary>Takes a permit now if the window has room and no pause is in force; otherwise says how long to wait.</summary>
    public bool TryAcquire(out Permit? permit, out TimeSpan wait)
    {
        lock (_gate)
        {
            var now = NowMs();
            if (_pausedUntilMs > now)
            {
                permit = null;
                wait = TimeSpan.FromMilliseconds(_pausedUntilMs - now);
                return false;
            }

            Expire(now);
            if (_permits.Count < Limit)
            {
                permit = new Permit(this);
                _permits.Add(permit);
                wait = TimeSpan.Zero;
                return true;
            }

            // The earliest a slot frees: a released permit's expiry. A permit still in flight frees no sooner than one
            // window from now, so that is a safe time to look again.
            var soonest = now + _windowMs;
            foreach (var p in _permits)
            {
                if (p.ReleasedAtMs is { } released)
                {
                    soonest = Math.Min(soonest, released + _windowMs);
                }
            }

            permit = null;
            wait = TimeSpan.FromMilliseconds(Math.Max(1, soonest - now));
            return false;
        }
    }

    /// <summary>Waits for room (and for any pause to end), then takes a permit. Release it when the answer has come.</summary>
    public async ValueTask<Permit> AcquireAsync(CancellationToken cancellationToken = default)
    {
        // Not a retry loop: each pass waits until the window can next have room, then looks again (another caller
        // may have taken it meanwhile).
        while (true)
        {
            if (TryAcquire(out var permit, out var wait))
            {
                return permit!;
            }

            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    // Caller holds _gate.
    private void Expire(long nowMs) => _permits.RemoveAll(p => p.ReleasedAtMs is { } released && released + _windowMs <= nowMs);

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>One counted request. Counts until one window after <see cref="Release"/>.</summary>
    internal sealed class Permit(RollingWindowLimiter owner)
    {
        /// <summary>When the answer (or the failure) came, epoch ms; null while in flight.</summary>
        public long? ReleasedAtMs { get; private set; }

        /// <summary>Marks the request answered now. Idempotent: the first call counts.</summary>
        public void Release()
        {
            lock (owner._gate)
            {
                ReleasedAtMs ??= owner.NowMs();
            }
        }
    }
}
