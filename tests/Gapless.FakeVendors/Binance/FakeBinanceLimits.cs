namespace Gapless.FakeVendors.Binance;

/// <summary>
/// Binance's rate-limit behaviour: weight counted per clock-aligned window for every REQUEST_WEIGHT limit, a 429
/// with Retry-After when a request takes a window over its limit, and a 418 ban for a request arriving inside a
/// Retry-After window (after the in-flight grace). Thread-safe (callers hold no lock).
/// </summary>
internal sealed class FakeBinanceLimits
{
    private readonly FakeBinanceOptions _options;
    private readonly IReadOnlyList<FakeRateLimit> _weightLimits;
    private readonly long[] _windowStart;
    private readonly int[] _used;
    private readonly Lock _gate = new();
    private DateTimeOffset? _retryFrom;
    private DateTimeOffset? _retryUntil;
    private DateTimeOffset? _bannedUntil;

    public FakeBinanceLimits(FakeBinanceOptions options)
    {
        _options = options;
        _weightLimits = [.. options.EffectiveRateLimits.Where(l => l.RateLimitType == "REQUEST_WEIGHT")];
        _windowStart = new long[_weightLimits.Count];
        _used = new int[_weightLimits.Count];
        _bannedUntil = options.BannedUntil;
    }

    /// <summary>The verdict on one arriving request, and the weight headers to send with its answer.</summary>
    public Admission Admit(DateTimeOffset now, int weight, bool inject429)
    {
        lock (_gate)
        {
            var window = (_retryFrom, _retryUntil);
            if (_bannedUntil > now)
            {
                return new Admission(418, null, Headers(now), window.Item1, window.Item2, false, _bannedUntil);
            }

            if (_retryUntil > now)
            {
                if (now - _retryFrom!.Value < _options.InFlightGrace)
                {
                    return new Admission(429, Seconds(_retryUntil.Value - now), Headers(now), window.Item1, window.Item2, false, null);
                }

                // Sent after the client had been told to wait: Binance bans the IP.
                _bannedUntil = now + _options.BanDuration;
                return new Admission(418, null, Headers(now), window.Item1, window.Item2, true, _bannedUntil);
            }

            var over = Spend(now, weight);
            if (over is { } wait || inject429)
            {
                var seconds = over is { } w ? Seconds(w) : _options.InjectedRetryAfterSeconds;
                _retryFrom = now;
                _retryUntil = now + TimeSpan.FromSeconds(seconds);
                return new Admission(429, seconds, Headers(now), _retryFrom, _retryUntil, false, null, over is null ? "429" : "weight");
            }

            return new Admission(200, null, Headers(now), null, null, false, null);
        }
    }

    private TimeSpan? Spend(DateTimeOffset now, int weight)
    {
        TimeSpan? wait = null;
        var ms = now.ToUnixTimeMilliseconds();
        for (var i = 0; i < _weightLimits.Count; i++)
        {
            var length = (long)_weightLimits[i].Window.TotalMilliseconds;
            var start = ms - (ms % length);
            if (start != _windowStart[i])
            {
                _windowStart[i] = start;
                _used[i] = 0;
            }

            _used[i] += weight;
            if (_used[i] > _weightLimits[i].Limit)
            {
                var untilReset = TimeSpan.FromMilliseconds(start + length - ms);
                wait = wait is null || untilReset > wait ? untilReset : wait;
            }
        }

        return wait;
    }

    private List<KeyValuePair<string, string>> Headers(DateTimeOffset now)
    {
        var ms = now.ToUnixTimeMilliseconds();
        var headers = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < _weightLimits.Count; i++)
        {
            var length = (long)_weightLimits[i].Window.TotalMilliseconds;
            var used = _windowStart[i] == ms - (ms % length) ? _used[i] : 0;
            var text = used.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (i == 0)
            {
                headers.Add(new("X-MBX-USED-WEIGHT", text));
            }

            headers.Add(new(_weightLimits[i].HeaderName, text));
        }

        return headers;
    }

    // Retry-After is whole seconds: round up, so obeying it never sends early.
    private static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
}

/// <summary>The limits' verdict on a request.</summary>
internal sealed record Admission(
    int Status,
    int? RetryAfterSeconds,
    List<KeyValuePair<string, string>> Headers,
    DateTimeOffset? RetryAfterFrom,
    DateTimeOffset? RetryAfterUntil,
    bool InsideRetryAfter,
    DateTimeOffset? BannedUntil,
    string? Fault = null);
