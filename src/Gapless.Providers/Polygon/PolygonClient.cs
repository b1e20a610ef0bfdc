using System.Net.Http.Headers;
using System.Text.Json;
using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Providers.Http;
using Polly;

namespace Gapless.Providers.Polygon;

/// <summary>
/// Polygon over HTTP, and nothing else: every request (first pages, <c>next_url</c> pages and retries alike) takes a
/// permit of the rolling per-minute limiter before it is sent, runs inside the retry pipeline with a per-attempt
/// timeout, carries the key (a Bearer header, or <c>apiKey</c> added back to the query, since <c>next_url</c> omits
/// it) and is recorded in the caller's <see cref="VendorCallLog"/> with the key removed. A 429 stops every request of
/// this client until its Retry-After, or <see cref="PolygonOptions.DefaultRetryAfter"/> when none is given. With
/// <see cref="PolygonOptions.SharedRateLimits"/>, the same happens across workers (see <c>PolygonClient.Shared.cs</c>).
/// Thread-safe: one instance serves every concurrent fetch.
/// </summary>
internal sealed partial class PolygonClient
{
    /// <summary>Rate-limit weight of one request: Polygon counts requests.</summary>
    public const int RequestWeight = 1;

    private readonly HttpClient _http;
    private readonly PolygonOptions _options;
    private readonly TimeProvider _time;
    private readonly string _baseUrl;
    private readonly string? _apiKey;
    private readonly ResiliencePipeline _retry;
    private readonly ResiliencePipeline _attemptTimeout;

    public PolygonClient(HttpClient http, PolygonOptions options, TimeProvider timeProvider)
    {
        _http = http;
        _options = options;
        _time = timeProvider;
        _baseUrl = options.BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        _apiKey = string.IsNullOrWhiteSpace(options.ApiKey) ? null : options.ApiKey.Trim();
        var settings = new VendorRetrySettings(options.MaxRetries, options.BaseDelay, options.MaxDelay, options.AttemptTimeout);
        _retry = VendorResilience.CreateRetry(settings, timeProvider);
        _attemptTimeout = VendorResilience.CreateAttemptTimeout(settings, timeProvider);
        // Unlimited plans still get one: a 429 must pause them too.
        Limiter = new RollingWindowLimiter(options.RequestsPerMinute ?? int.MaxValue, TimeSpan.FromMinutes(1), timeProvider);
        _shared = options.RequestsPerMinute is null ? null : options.SharedRateLimits;
        SharedKey = $"{PolygonErrors.Vendor}:key-{Fingerprint(_apiKey)}";
    }

    /// <summary>The per-minute limiter (and 429 pause) every request of this client goes through; unbounded on unlimited plans.</summary>
    public RollingWindowLimiter Limiter { get; }

    /// <summary>
    /// Sends <paramref name="pathAndQuery"/> (with retries) and reads one page of aggregates.
    /// </summary>
    /// <param name="pathAndQuery">Path and query, without the key.</param>
    /// <param name="ticker">The ticker asked for (messages).</param>
    /// <param name="timeframe">The timeframe asked for (parsing, messages).</param>
    /// <param name="calls">Where every attempt is recorded.</param>
    /// <param name="cancellationToken">Cancels waiting and sending.</param>
    public async Task<PolygonPage> GetPageAsync(
        string pathAndQuery, string ticker, Timeframe timeframe, VendorCallLog calls, CancellationToken cancellationToken)
    {
        if (_apiKey is null)
        {
            throw PolygonErrors.MissingKey();
        }

        var attempt = new Attempt(this, pathAndQuery, ticker, timeframe, calls);
        return await _retry.ExecuteAsync(static (state, token) => state.RunAsync(token), attempt, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask ReactAsync(VendorException error, DateTimeOffset answeredAt, CancellationToken cancellationToken)
    {
        // Only the vendor's own 429: a wait the shared ledger imposed must not extend itself.
        if (error.Kind != VendorErrorKind.RateLimited || error.HttpStatus != 429)
        {
            return;
        }

        // Polygon says nothing of when its count resets: sending again early only earns more 429s.
        var resume = answeredAt + (error.RetryAfter ?? _options.DefaultRetryAfter);
        Limiter.PauseUntil(resume);
        await PauseSharedAsync(resume, cancellationToken).ConfigureAwait(false);
    }

    private HttpRequestMessage NewRequest(string pathAndQuery)
    {
        var target = _baseUrl + pathAndQuery;
        if (_options.SendKeyInQuery)
        {
            target += (pathAndQuery.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "apiKey=" + Uri.EscapeDataString(_apiKey!);
        }

        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(target));
        if (!_options.SendKeyInQuery)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        }

        return request;
    }

    /// <summary>One attempt of one request; the retry pipeline runs it again when it fails transiently.</summary>
    private sealed class Attempt(PolygonClient client, string pathAndQuery, string ticker, Timeframe timeframe, VendorCallLog calls)
    {
        private readonly string _description = RequestDescription.Of(pathAndQuery);

        public async ValueTask<PolygonPage> RunAsync(CancellationToken cancellationToken)
        {
            var permit = await client.Limiter.AcquireAsync(cancellationToken).ConfigureAwait(false);
            var startedAt = client._time.GetUtcNow();
            var started = client._time.GetTimestamp();
            int? status = null;
            try
            {
                await client.SpendSharedAsync(cancellationToken).ConfigureAwait(false);
                startedAt = client._time.GetUtcNow();
                started = client._time.GetTimestamp();
                var answer = await client._attemptTimeout.ExecuteAsync(
                    static (attempt, token) => attempt.SendAsync(token), this, cancellationToken).ConfigureAwait(false);
                status = answer.Status;
                permit.Release();
                var page = answer.Error is { } refused ? throw refused : Read(answer);
                calls.Record(new VendorCall(startedAt, _description, status, page.Bars.Count, RequestWeight, client._time.GetElapsedTime(started)));
                return page;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                permit.Release();
                calls.Record(new VendorCall(startedAt, _description, status, 0, RequestWeight, client._time.GetElapsedTime(started), "cancelled"));
                throw;
            }
            catch (Exception e) when (VendorHttpFailures.Translate(
                PolygonErrors.Vendor, client._options.BaseUrl, _description, client._options.AttemptTimeout, e, PolygonErrors.HowToChangeBaseUrl) is { } translated)
            {
                permit.Release();
                var error = PolygonErrors.Scrub(translated, client._apiKey);
                calls.Record(new VendorCall(startedAt, _description, status ?? error.HttpStatus, 0, RequestWeight, client._time.GetElapsedTime(started), error.Message));
                await client.ReactAsync(error, client._time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                if (ReferenceEquals(error, e))
                {
                    throw;
                }

                throw error;
            }
            catch
            {
                permit.Release();
                throw;
            }
        }

        private async ValueTask<Answer> SendAsync(CancellationToken cancellationToken)
        {
            using var request = client.NewRequest(pathAndQuery);
            using var response = await client._http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var error = response.IsSuccessStatusCode
                ? null
                : PolygonErrors.FromAnswer(
                    status, body, RetryAfterHeader.Read(response.Headers, client._time.GetUtcNow()), ticker, timeframe, _description, client._options.DefaultRetryAfter);
            return new Answer(status, body, error);
        }

        private PolygonPage Read(Answer answer)
        {
            PolygonPage page;
            try
            {
                page = PolygonAggsParser.Parse(answer.Body, timeframe);
            }
            catch (Exception e) when (e is JsonException or FormatException or OverflowException)
            {
                throw PolygonErrors.Malformed(_description, e);
            }

            // A success status whose body is a refusal (NOT_AUTHORIZED, ERROR) is read like the refusal.
            return page.IsData
                ? page
                : throw PolygonErrors.FromAnswer(answer.Status, answer.Body, null, ticker, timeframe, _description, client._options.DefaultRetryAfter);
        }

        /// <param name="Error">The error a non-success answer means.</param>
        private sealed record Answer(int Status, byte[] Body, VendorException? Error);
    }
}
