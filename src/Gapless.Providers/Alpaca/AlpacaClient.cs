using System.Text.Json;
using Gapless.Core.Errors;
using Gapless.Core.Ports;
using Gapless.Providers.Http;
using Polly;

namespace Gapless.Providers.Alpaca;

/// <summary>
/// Alpaca's market-data API over HTTP, and nothing else: every request spends one from the shared limiter before it
/// is sent, carries the keys as headers, runs inside the retry pipeline with a per-attempt timeout, corrects the
/// limiter from the <c>X-RateLimit-*</c> headers, and is recorded in the caller's <see cref="VendorCallLog"/> by its
/// path and query alone. When an answer says the window is spent, or on a 429, every request of this client waits
/// until the window resets. With <see cref="AlpacaOptions.SharedRateLimits"/> the same happens across workers.
/// Thread-safe: one instance serves every concurrent fetch.
/// </summary>
internal sealed class AlpacaClient
{
    private const string KeyIdHeader = "APCA-API-KEY-ID";
    private const string SecretKeyHeader = "APCA-API-SECRET-KEY";

    private readonly HttpClient _http;
    private readonly AlpacaOptions _options;
    private readonly TimeProvider _time;
    private readonly string _baseUrl;
    private readonly ResiliencePipeline _retry;
    private readonly ResiliencePipeline _attemptTimeout;
    private readonly TimeSpan _window;

    public AlpacaClient(HttpClient http, AlpacaOptions options, TimeProvider timeProvider)
    {
        _http = http;
        _options = options;
        _time = timeProvider;
        _baseUrl = options.BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var settings = new VendorRetrySettings(options.MaxRetries, options.BaseDelay, options.MaxDelay, options.AttemptTimeout);
        _retry = VendorResilience.CreateRetry(settings, timeProvider);
        _attemptTimeout = VendorResilience.CreateAttemptTimeout(settings, timeProvider);
        _window = options.DefaultBudget.Window;
        Limiter = new WeightWindowLimiter(options.DefaultBudget.Weight, _window, options.SafetyMargin, timeProvider);
        Shared = new SharedRateBudget(options.SharedRateLimits, AlpacaErrors.Vendor, options.BaseUrl, timeProvider);
    }

    /// <summary>The request limiter every request of this client goes through.</summary>
    public WeightWindowLimiter Limiter { get; }

    /// <summary>The budget shared with other workers (a no-op without a ledger).</summary>
    public SharedRateBudget Shared { get; }

    /// <summary>Sends <paramref name="request"/> (with retries) and reads a success answer with <paramref name="read"/>.</summary>
    /// <param name="read">Reads the body; throws <see cref="JsonException"/> or <see cref="FormatException"/> on a malformed one, which is retried.</param>
    /// <param name="countRows">Rows in the read value, for the call log.</param>
    public async Task<T> GetAsync<T>(
        AlpacaRequest request, Func<byte[], T> read, Func<T, int> countRows, VendorCallLog calls, CancellationToken cancellationToken)
    {
        if (!_options.HasKeys)
        {
            throw AlpacaErrors.MissingKeys();
        }

        var attempt = new Attempt<T>(this, request, read, countRows, calls);
        return await _retry.ExecuteAsync(
            static (state, token) => state.RunAsync(token), attempt, cancellationToken).ConfigureAwait(false);
    }

    private RateBudget SharedBudget() => new(Math.Max(Limiter.Limit - _options.SafetyMargin, 1), _window);

    /// <summary>
    /// Corrects both limiters from the answer's headers: the plan's limit (Algo Trader Plus allows 10,000 a minute),
    /// the requests the vendor counts as used (other tools with the same keys included), and, when the window is
    /// spent down to the safety margin, a pause until its reset.
    /// </summary>
    private async ValueTask ObserveAsync(AlpacaRateLimitHeaders headers, DateTimeOffset sentAt, CancellationToken cancellationToken)
    {
        if (headers.Limit is { } limit && limit > 0 && limit != Limiter.Limit)
        {
            Limiter.SetBudget(limit, _window);
        }

        if (headers.Used is not { } used)
        {
            return;
        }

        Limiter.ObserveUsedWeight(used, sentAt);
        if (headers.Remaining <= _options.SafetyMargin && headers.Reset is { } reset && reset > _time.GetUtcNow())
        {
            Limiter.PauseUntil(reset);
        }

        await Shared.ObserveUsedAsync(used, new RateBudget(Limiter.Limit, _window), sentAt, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask ReactAsync(VendorException error, DateTimeOffset answeredAt, CancellationToken cancellationToken)
    {
        if (error.Kind == VendorErrorKind.RateLimited && error.HttpStatus == 429)
        {
            var resume = answeredAt + (error.RetryAfter ?? _options.DefaultRetryAfter);
            Limiter.PauseUntil(resume);
            await Shared.PauseAsync(resume, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>How long a 429 asks to wait: its Retry-After, else until the window's reset, else nothing said.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response, AlpacaRateLimitHeaders headers)
    {
        var now = _time.GetUtcNow();
        if (RetryAfterHeader.Read(response.Headers, now) is { } stated)
        {
            return stated;
        }

        if (headers.Reset is { } reset)
        {
            // The reset is whole seconds; waiting at least one keeps a 429 at a window's edge from looping.
            var wait = reset - now;
            return wait > TimeSpan.FromSeconds(1) ? wait : TimeSpan.FromSeconds(1);
        }

        return null;
    }

    /// <summary>One attempt of one request; the retry pipeline runs it again when it fails transiently.</summary>
    private sealed class Attempt<T>(
        AlpacaClient client, AlpacaRequest request, Func<byte[], T> read, Func<T, int> countRows, VendorCallLog calls)
    {
        private readonly string _description = RequestDescription.Of(request.PathAndQuery);

        public async ValueTask<T> RunAsync(CancellationToken cancellationToken)
        {
            await client.Limiter.AcquireAsync(AlpacaRequest.Weight, cancellationToken).ConfigureAwait(false);
            await client.Shared.SpendAsync(AlpacaRequest.Weight, client.SharedBudget, cancellationToken).ConfigureAwait(false);

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
                await client.ObserveAsync(answer.RateLimit, startedAt, cancellationToken).ConfigureAwait(false);
                if (answer.Error is { } refused)
                {
                    throw refused;
                }

                var value = Read(answer.Body);
                calls.Record(new VendorCall(startedAt, _description, status, countRows(value), AlpacaRequest.Weight, client._time.GetElapsedTime(started)));
                return value;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                calls.Record(new VendorCall(startedAt, _description, status, 0, AlpacaRequest.Weight, client._time.GetElapsedTime(started), "cancelled"));
                throw;
            }
            catch (Exception e) when (VendorHttpFailures.Translate(
                AlpacaErrors.Vendor, client._options.BaseUrl, _description, client._options.AttemptTimeout, e, AlpacaErrors.HowToChangeBaseUrl) is { } error)
            {
                calls.Record(new VendorCall(startedAt, _description, status ?? error.HttpStatus, 0, AlpacaRequest.Weight, client._time.GetElapsedTime(started), error.Message));
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
                calls.Record(new VendorCall(startedAt, _description, status, 0, AlpacaRequest.Weight, client._time.GetElapsedTime(started), e.Message));
                throw;
            }
        }

        private async ValueTask<Answer> SendAsync(CancellationToken cancellationToken)
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(client._baseUrl + request.PathAndQuery));
            message.Headers.TryAddWithoutValidation(KeyIdHeader, client._options.KeyId);
            message.Headers.TryAddWithoutValidation(SecretKeyHeader, client._options.SecretKey);
            message.Headers.Accept.ParseAdd("application/json");
            using var response = await client._http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var rateLimit = AlpacaRateLimitHeaders.Read(response.Headers);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var error = response.IsSuccessStatusCode
                ? null
                : AlpacaErrors.FromAnswer(
                    status, body, client.RetryAfter(response, rateLimit), _description, request.Symbols, client._options.Feed, client._options.DefaultRetryAfter);
            return new Answer(status, body, rateLimit, error);
        }

        /// <param name="Error">The error a non-success answer means, thrown once its rate-limit headers are taken in.</param>
        private sealed record Answer(int Status, byte[] Body, AlpacaRateLimitHeaders RateLimit, VendorException? Error);

        private T Read(byte[] body)
        {
            try
            {
                return read(body);
            }
            catch (Exception e) when (e is JsonException or FormatException or OverflowException)
            {
                throw AlpacaErrors.Malformed(_description, e);
            }
        }
    }
}
