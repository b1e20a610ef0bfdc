using System.Globalization;
using System.Text.Json;
using Gapless.Core.Errors;
using Gapless.Core.Ports;
using Gapless.Providers.Http;
using Polly;

namespace Gapless.Providers.Eodhd;

/// <summary>
/// EODHD over HTTP, and nothing else. Every request spends 5 calls of the daily allowance (failing at once, with the
/// reset time, when it is used up) and one request of the minute limit before it is sent, runs inside the retry
/// pipeline with a per-attempt timeout, corrects the minute limiter from <c>X-RateLimit-Remaining</c>, and is recorded
/// in the caller's <see cref="VendorCallLog"/> without its token. On a 429 every request of this client waits out the
/// Retry-After; once EODHD says the daily allowance is used up, every request fails at once until midnight UTC. With
/// <see cref="EodhdOptions.SharedRateLimits"/>, the same happens across workers (<c>EodhdClient.Shared.cs</c>).
/// The token is added to the URL only when sending and removed from every text that leaves this class.
/// Thread-safe: one instance serves every concurrent fetch.
/// </summary>
internal sealed partial class EodhdClient
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private readonly HttpClient _http;
    private readonly EodhdOptions _options;
    private readonly TimeProvider _time;
    private readonly string _baseUrl;
    private readonly string? _token;
    private readonly string _tokenQuery;
    private readonly ResiliencePipeline _retry;
    private readonly ResiliencePipeline _attemptTimeout;
    private long _usedUpUntilMs = long.MinValue;
    private string _usedUpMessage = string.Empty;

    public EodhdClient(HttpClient http, EodhdOptions options, TimeProvider timeProvider)
    {
        _http = http;
        _options = options;
        _time = timeProvider;
        _baseUrl = options.BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        _token = string.IsNullOrWhiteSpace(options.ApiToken) ? null : options.ApiToken.Trim();
        _tokenQuery = _token is null ? string.Empty : "&api_token=" + Uri.EscapeDataString(_token);
        var settings = new VendorRetrySettings(options.MaxRetries, options.BaseDelay, options.MaxDelay, options.AttemptTimeout);
        _retry = VendorResilience.CreateRetry(settings, timeProvider);
        _attemptTimeout = VendorResilience.CreateAttemptTimeout(settings, timeProvider);
        MinuteLimiter = new WeightWindowLimiter(options.MinuteRequestLimit, TimeSpan.FromMinutes(1), options.SafetyMarginRequests, timeProvider);
        Allowance = new WeightWindowLimiter(options.DailyAllowance, Day, 0, timeProvider);
        _shared = options.SharedRateLimits;
        SharedKey = $"{EodhdErrors.Vendor}:{options.BaseUrl.Authority}";
    }

    /// <summary>Requests per clock minute, shared by every request of this client.</summary>
    public WeightWindowLimiter MinuteLimiter { get; }

    /// <summary>API calls per UTC day (windows start at midnight UTC, as EODHD's allowance does).</summary>
    public WeightWindowLimiter Allowance { get; }

    public bool HasToken => _token is not null;

    /// <summary>Sends <paramref name="request"/> (with retries) and reads a success answer with <paramref name="read"/>.</summary>
    /// <param name="read">Reads the body; throws <see cref="JsonException"/>, <see cref="FormatException"/> or <see cref="OverflowException"/> on a malformed one, which is retried.</param>
    /// <param name="countRows">Rows in the read value, for the call log.</param>
    public async Task<T> GetAsync<T>(
        EodhdRequest request, Func<byte[], T> read, Func<T, int> countRows, VendorCallLog calls, CancellationToken cancellationToken)
    {
        if (_token is null)
        {
            throw EodhdErrors.MissingToken();
        }

        var attempt = new Attempt<T>(this, request, read, countRows, calls);
        return await _retry.ExecuteAsync(
            static (state, token) => state.RunAsync(token), attempt, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><paramref name="text"/> with the API token (raw or URL-escaped) replaced by <c>***</c>.</summary>
    public string Redact(string text)
    {
        if (_token is null || string.IsNullOrEmpty(text))
        {
            return text;
        }

        var escaped = Uri.EscapeDataString(_token);
        text = text.Replace(_token, "***", StringComparison.Ordinal);
        return escaped == _token ? text : text.Replace(escaped, "***", StringComparison.Ordinal);
    }

    private void ThrowIfUsedUp()
    {
        if (Interlocked.Read(ref _usedUpUntilMs) > _time.GetUtcNow().ToUnixTimeMilliseconds())
        {
            var until = DateTimeOffset.FromUnixTimeMilliseconds(Interlocked.Read(ref _usedUpUntilMs));
            throw new VendorException(EodhdErrors.Vendor, VendorErrorKind.Banned, Volatile.Read(ref _usedUpMessage), retryAfter: until - _time.GetUtcNow());
        }
    }

    /// <summary>Spends one request's calls of the local daily allowance, or fails at once (no request) when it is used up.</summary>
    private void SpendAllowance()
    {
        if (!Allowance.TryAcquire(EodhdRequest.CallsPerRequest, out _))
        {
            var now = _time.GetUtcNow();
            throw EodhdErrors.AllowanceUsedUp(
                $"eodhd: this process has spent its daily allowance of {_options.DailyAllowance.ToString(CultureInfo.InvariantCulture)} API calls "
                + $"({EodhdRequest.CallsPerRequest} per intraday request; EodhdOptions.DailyAllowance)",
                EodhdErrors.NextReset(now),
                now);
        }
    }

    private async ValueTask ReactAsync(VendorException error, DateTimeOffset answeredAt, CancellationToken cancellationToken)
    {
        switch (error.Kind)
        {
            case VendorErrorKind.RateLimited:
                var resume = answeredAt + (error.RetryAfter ?? _options.DefaultRetryAfter);
                MinuteLimiter.PauseUntil(resume);
                await PauseSharedAsync(resume, cancellationToken).ConfigureAwait(false);
                break;
            case VendorErrorKind.Banned when error.HttpStatus is not null:
                // EODHD said the allowance is used up: nothing can succeed before midnight UTC.
                var until = EodhdErrors.NextReset(answeredAt);
                Volatile.Write(ref _usedUpMessage, error.Message);
                Interlocked.Exchange(ref _usedUpUntilMs, until.ToUnixTimeMilliseconds());
                await PauseSharedAsync(until, cancellationToken).ConfigureAwait(false);
                break;
            default:
                break;
        }
    }

    /// <summary>Requests EODHD says were used in its current minute (<c>X-RateLimit-Limit − X-RateLimit-Remaining</c>), if it says.</summary>
    private static int? UsedRequests(HttpResponseMessage response)
        => Header(response, "X-RateLimit-Limit") is { } limit && Header(response, "X-RateLimit-Remaining") is { } remaining && limit >= remaining
            ? limit - remaining
            : null;

    private static int? Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values)
            && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    /// <summary>One attempt of one request; the retry pipeline runs it again when it fails transiently.</summary>
    private sealed class Attempt<T>(
        EodhdClient client, EodhdRequest request, Func<byte[], T> read, Func<T, int> countRows, VendorCallLog calls)
    {
        // Built without the token; RequestDescription removes any secret parameter all the same.
        private readonly string _description = RequestDescription.Of(request.PathAndQuery);

        public async ValueTask<T> RunAsync(CancellationToken cancellationToken)
        {
            client.ThrowIfUsedUp();
            client.SpendAllowance();
            await client.MinuteLimiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
            await client.SpendSharedAsync(cancellationToken).ConfigureAwait(false);
            client.ThrowIfUsedUp(); // EODHD may have said so while this attempt waited for the minute limit

            var startedAt = client._time.GetUtcNow();
            var started = client._time.GetTimestamp();
            int? status = null;
            try
            {
                var answer = await client._attemptTimeout.ExecuteAsync(
                    static (attempt, token) => attempt.SendAsync(token), this, cancellationToken)
                    .ConfigureAwait(false);
                status = answer.Status;

                // Outside the attempt's timeout: a slow store must not pass for a slow vendor.
                await client.ObserveUsedAsync(answer.UsedRequests, startedAt, cancellationToken).ConfigureAwait(false);
                if (answer.Error is { } refused)
                {
                    throw refused;
                }

                var value = Read(answer.Body);
                calls.Record(new VendorCall(startedAt, _description, status, countRows(value), EodhdRequest.CallsPerRequest, client._time.GetElapsedTime(started)));
                return value;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                calls.Record(new VendorCall(startedAt, _description, status, 0, EodhdRequest.CallsPerRequest, client._time.GetElapsedTime(started), "cancelled"));
                throw;
            }
            catch (Exception e) when (VendorHttpFailures.Translate(
                EodhdErrors.Vendor, client._options.BaseUrl, _description, client._options.AttemptTimeout, e, EodhdErrors.HowToChangeBaseUrl) is { } translated)
            {
                var error = client.Redacted(translated);
                calls.Record(new VendorCall(startedAt, _description, status ?? error.HttpStatus, 0, EodhdRequest.CallsPerRequest, client._time.GetElapsedTime(started), error.Message));
                await client.ReactAsync(error, client._time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                if (ReferenceEquals(error, e))
                {
                    throw;
                }

                throw error;
            }
            catch (GaplessException e) when (status is not null)
            {
                // The answer came, but the shared rate budget could not be told what it used.
                calls.Record(new VendorCall(startedAt, _description, status, 0, EodhdRequest.CallsPerRequest, client._time.GetElapsedTime(started), e.Message));
                throw;
            }
        }

        private async ValueTask<Answer> SendAsync(CancellationToken cancellationToken)
        {
            using var response = await client._http.GetAsync(
                new Uri(client._baseUrl + request.PathAndQuery + client._tokenQuery), HttpCompletionOption.ResponseHeadersRead, cancellationToken)
                .ConfigureAwait(false);
            var used = UsedRequests(response);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            VendorException? error = null;
            if (!response.IsSuccessStatusCode)
            {
                var now = client._time.GetUtcNow();
                error = EodhdErrors.FromAnswer(
                    status, EodhdErrors.Describe(body, client.Redact), RetryAfterHeader.Read(response.Headers, now), request.Symbol, _description,
                    client._options.DefaultRetryAfter, EodhdErrors.NextReset(now), now);
            }

            return new Answer(status, body, used, error);
        }

        /// <param name="Error">The error a non-success answer means, thrown once its used requests are recorded.</param>
        private sealed record Answer(int Status, byte[] Body, int? UsedRequests, VendorException? Error);

        private T Read(byte[] body)
        {
            try
            {
                return read(body);
            }
            catch (Exception e) when (e is JsonException or FormatException or OverflowException)
            {
                throw EodhdErrors.Malformed(_description, e);
            }
        }
    }

    /// <summary><paramref name="error"/>, or a copy whose message no longer holds the token (an HTTP library's text may quote the URL).</summary>
    private VendorException Redacted(VendorException error)
    {
        var message = Redact(error.Message);
        return ReferenceEquals(message, error.Message) || message == error.Message
            ? error
            : new VendorException(error.Vendor, error.Kind, message, error.HttpStatus, error.VendorCode, error.RetryAfter);
    }
}
