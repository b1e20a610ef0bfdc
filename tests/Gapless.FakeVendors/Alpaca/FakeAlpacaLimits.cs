using System.Globalization;

namespace Gapless.FakeVendors.Alpaca;

/// <summary>
/// Alpaca's rate-limit behaviour as the fake plays it: requests counted per clock-aligned window, every answer
/// carrying <c>X-RateLimit-Limit</c>, <c>X-RateLimit-Remaining</c> and <c>X-RateLimit-Reset</c> (Unix seconds), a
/// 429 for a request over the limit (and for every request until the reset), and injected 429s that pause every
/// request for a while. Alpaca does not ban: a request inside a pause only gets another 429, and is logged as a
/// violation. Thread-safe (callers hold no lock).
/// </summary>
internal sealed class FakeAlpacaLimits(FakeAlpacaOptions options)
{
    private readonly Lock _gate = new();
    private long _windowStart = long.MinValue;
    private int _used;
    private DateTimeOffset? _pauseFrom;
    private DateTimeOffset? _pauseUntil;

    public FakeAlpacaAdmission Admit(DateTimeOffset now, bool inject429)
    {
        lock (_gate)
        {
            var windowEnd = Roll(now);
            if (_pauseUntil > now)
            {
                var violation = now - _pauseFrom!.Value >= options.InFlightGrace;
                return new(429, Headers(0, _pauseUntil.Value), _pauseFrom, _pauseUntil, violation, null);
            }

            _used++;
            if (_used > options.RequestsPerWindow || inject429)
            {
                _pauseFrom = now;
                _pauseUntil = _used > options.RequestsPerWindow
                    ? windowEnd
                    : DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() + options.InjectedPauseSeconds + 1);
                return new(429, Headers(0, _pauseUntil.Value), _pauseFrom, _pauseUntil, false, _used > options.RequestsPerWindow ? "limit" : "429");
            }

            return new(200, Headers(options.RequestsPerWindow - _used, windowEnd), null, null, false, null);
        }
    }

    // Caller holds _gate. Returns the current window's end.
    private DateTimeOffset Roll(DateTimeOffset now)
    {
        var length = (long)options.RateLimitWindow.TotalMilliseconds;
        var ms = now.ToUnixTimeMilliseconds();
        var start = ms - (((ms % length) + length) % length);
        if (start != _windowStart)
        {
            _windowStart = start;
            _used = 0;
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(start + length);
    }

    private List<KeyValuePair<string, string>> Headers(int remaining, DateTimeOffset reset)
    {
        var c = CultureInfo.InvariantCulture;

        // Whole seconds, rounded up: obeying the reset never sends early.
        var resetSeconds = (reset.ToUnixTimeMilliseconds() + 999) / 1000;
        return
        [
            new("X-RateLimit-Limit", options.RequestsPerWindow.ToString(c)),
            new("X-RateLimit-Remaining", Math.Max(0, remaining).ToString(c)),
            new("X-RateLimit-Reset", resetSeconds.ToString(c)),
        ];
    }
}

/// <summary>The limits' verdict on a request, and the headers to send with its answer.</summary>
internal sealed record FakeAlpacaAdmission(
    int Status,
    List<KeyValuePair<string, string>> Headers,
    DateTimeOffset? PauseFrom,
    DateTimeOffset? PauseUntil,
    bool InsidePause,
    string? Fault);
