namespace Gapless.Providers.Http;

/// <summary>
/// A request-weight budget per clock-aligned window (the way Binance counts: a one-minute window starts at :00,
/// not at our first request), shared by every request to one vendor in the process. Permits are weight: a request
/// spends its weight before it is sent and waits for the next window when the budget would be exceeded.
/// Two corrections come from the vendor's answers: the used weight it reports (<see cref="ObserveUsedWeight"/>,
/// which also counts other processes on the same IP), and a pause after a 429 (<see cref="PauseUntil"/>), during
/// which nothing is sent at all. Thread-safe.
/// </summary>
/// <remarks>
/// Not a System.Threading.RateLimiting <c>RateLimiter</c>: that package ships with ASP.NET Core, not with the
/// base framework this library targets, and its fixed-window limiter neither aligns windows to the clock nor
/// takes a <see cref="TimeProvider"/>.
/// </remarks>
internal sealed class WeightWindowLimiter
{
    private readonly TimeProvider _time;
    private readonly int _safetyMargin;
    private readonly Lock _gate = new();
    private int _limit;
    private long _windowMs;
    private long _windowStartMs;
    private int _used;
    private long _pausedUntilMs = long.MinValue;

    /// <param name="limit">The vendor's weight limit per window.</param>
    /// <param name="window">The window length; windows start at multiples of it since the Unix epoch.</param>
    /// <param name="safetyMargin">Weight left unused in every window, for requests the vendor counts in a different window than we do.</param>
    public WeightWindowLimiter(int limit, TimeSpan window, int safetyMargin, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(safetyMargin);
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _safetyMargin = safetyMargin;
        SetBudget(limit, window);
    }

    /// <summary>The weight limit per window.</summary>
    public int Limit
    {
        get
        {
            lock (_gate)
            {
                return _limit;
            }
        }
    }

    /// <summary>The window length.</summary>
    public TimeSpan Window
    {
        get
        {
            lock (_gate)
            {
                return TimeSpan.FromMilliseconds(_windowMs);
            }
        }
    }

    /// <summary>Weight spent in the current window, as far as we know.</summary>
    public int Used
    {
        get
        {
            lock (_gate)
            {
                Roll(NowMs());
                return _used;
            }
        }
    }

    /// <summary>Replaces the budget (e.g. with the limit the vendor published). Weight spent so far is carried over: erring on the side of waiting.</summary>
    public void SetBudget(int limit, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.FromMilliseconds(1));
        lock (_gate)
        {
            _limit = limit;
            _windowMs = (long)window.TotalMilliseconds;
            _windowStartMs = Floor(NowMs());
        }
    }

    /// <summary>
    /// Corrects the count from the vendor's report of the weight used in its current window. Only raises it: the
    /// vendor has not yet seen our requests still in flight. Ignored when the request was sent in an earlier window.
    /// </summary>
    /// <param name="sentAt">When the request that carried the report was sent.</param>
    public void ObserveUsedWeight(int usedWeight, DateTimeOffset sentAt)
    {
        lock (_gate)
        {
            Roll(NowMs());
            if (Floor(sentAt.ToUnixTimeMilliseconds()) == _windowStartMs && usedWeight > _used)
            {
                _used = usedWeight;
            }
        }
    }

    /// <summary>Sends nothing before <paramref name="until"/> (a 429's Retry-After). Never shortens a pause.</summary>
    public void PauseUntil(DateTimeOffset until)
    {
        lock (_gate)
        {
            _pausedUntilMs = Math.Max(_pausedUntilMs, until.ToUnixTimeMilliseconds());
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

    /// <summary>Spends <paramref name="weight"/> now if the budget allows; otherwise says how long until it may.</summary>
    public bool TryAcquire(int weight, out TimeSpan wait)
    {
        lock (_gate)
        {
            return TryTake(weight, out wait);
        }
    }

    /// <summary>Spends <paramref name="weight"/>, first waiting as long as the budget or a pause requires.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="weight"/> exceeds the whole limit.</exception>
    public async ValueTask AcquireAsync(int weight, CancellationToken cancellationToken = default)
    {
        // Not a retry loop: each pass waits for the instant the budget can next change, then looks again
        // (a clock whose timers fire a hair early, or another caller, may have taken the room meanwhile).
        while (!TryAcquire(weight, out var wait))
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    // Caller holds _gate.
    private bool TryTake(int weight, out TimeSpan wait)
    {
        if (weight > _limit)
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, $"a request of weight {weight} never fits a limit of {_limit} per window");
        }

        var now = NowMs();
        if (_pausedUntilMs > now)
        {
            wait = TimeSpan.FromMilliseconds(_pausedUntilMs - now);
            return false;
        }

        Roll(now);

        // The margin keeps headroom, but never blocks a lone request in an empty window.
        if (_used + weight <= _limit - _safetyMargin || (_used == 0 && weight <= _limit))
        {
            _used += weight;
            wait = TimeSpan.Zero;
            return true;
        }

        wait = TimeSpan.FromMilliseconds(_windowStartMs + _windowMs - now);
        return false;
    }

    private void Roll(long nowMs)
    {
        var start = Floor(nowMs);
        if (start > _windowStartMs)
        {
            _windowStartMs = start;
            _used = 0;
        }
    }

    private long Floor(long ms) => ms - (((ms % _windowMs) + _windowMs) % _windowMs);

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
