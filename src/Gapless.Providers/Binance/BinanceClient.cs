using System.Globalization;
using System.Text.Json;
using Gapless.Core.Errors;
using Gapless.Core.Ports;
using Gapless.Providers.Http;
using Polly;

namespace Gapless.Providers.Binance;

/// <summary>
/// Binance over HTTP, and nothing else: every request spends weight in the shared limiter before it is sent,
/// runs inside the retry pipeline with a per-attempt timeout, corrects the limiter from the used-weight header,
/// and is recorded in the caller's <see cref="VendorCallLog"/>. On a 429 every request of this client waits out
/// the Retry-After (sending earlier gets the IP banned); after a 418 every request fails at once until the ban
/// ends. With <see cref="BinanceOptions.SharedRateLimits"/>, the same happens across workers (see
/// <c>BinanceClient.Shared.cs</c>). Thread-safe: one instance serves every concurrent fetch.
/// </summary>
internal sealed partial class BinanceClient
{
    private readonly HttpClient _http;
    private readonly BinanceOptions _options;
    private readonly TimeProvider _time;
    private readonly string _baseUrl;
    private readonly ResiliencePipeline _retry;
    private readonly ResiliencePipeline _attemptTimeout;
    private volatile BinanceWeightLimit _weightLimit;
    private long _bannedUntilMs = long.MinValue;
    private string _banMessage = string.Empty;

    public BinanceClient(HttpClient http, BinanceOptions options, TimeProvider timeProvider)
    {
        _http = http;
        _options = options;
        _time = timeProvider;
        _baseUrl = options.BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var settings = new VendorRetrySettings(options.MaxRetries, options.BaseDelay, options.MaxDelay, options.AttemptTimeout);
        _retry = VendorResilience.CreateRetry(settings, timeProvider);
        _attemptTimeout = VendorResilience.CreateAttemptTimeout(settings, timeProvider);
        _weightLimit = BinanceWeightLimit.Default(options.DefaultBudget.Weight, options.DefaultBudget.Window);
        Limiter = new WeightWindowLimiter(_weightLimit.Limit, _weightLimit.Window, options.SafetyMarginWeight, timeProvider);
        _shared = options.SharedRateLimits;
        SharedKey = $"{BinanceErrors.Vendor}:{options.BaseUrl.Authority}";
    }

    /// <summary>The weight limiter every request of this client goes through.</summary>
    public WeightWindowLimiter Limiter { get; }

    /// <summary>The limit in force: the default until <see cref="UseWeightLimit"/> is told Binance's own.</summary>
    public BinanceWeightLimit WeightLimit => _weightLimit;

    public void UseWeightLimit(BinanceWeightLimit limit)
    {
        Limiter.SetBudget(limit.Limit, limit.Window);
        _weightLimit = limit;
    }

    /// <summary>Sends <paramref name="request"/> (with retries) and reads a success answer with <paramref name="read"/>.</summary>
    /// <param name="read">Reads the body; throws <see cref="JsonException"/> or <see cref="FormatException"/> on a malformed one, which is retried.</param>
    /// <param name="countRows">Rows in the read value, for the call log.</param>
    public async Task<T> GetAsync<T>(
        BinanceRequest request, Func<byte[], T> read, Func<T, int> countRows, VendorCallLog calls, CancellationToken cancellationToken)
    {
        var attempt = new Attempt<T>(this, request, read, countRows, calls);
        return await _retry.ExecuteAsync(
            static (state, token) => state.RunAsync(token), attempt, cancellationToken).ConfigureAwait(false);
    }

    private void ThrowIfBanned()
    {
        if (Interlocked.Read(ref _bannedUntilMs) > _time.GetUtcNow().ToUnixTimeMilliseconds())
        {
            throw new VendorException(BinanceErrors.Vendor, VendorErrorKind.Banned, Volatile.Read(ref _banMessage), 418);
        }
    }

    private async ValueTask ReactAsync(VendorException error, DateTimeOffset answeredAt, CancellationToken cancellationToken)
    {
        switch (error.Kind)
        {
            case VendorErrorKind.RateLimited:
                var resume = answeredAt + (error.RetryAfter ?? _options.DefaultRetryAfter);
                Limiter.PauseUntil(resume);
                await PauseSharedAsync(resume, cancellationToken).ConfigureAwait(false);
                break;
            case VendorErrorKind.Banned:
                // Without a stated end, stop this client for a day: every request would only lengthen the ban.
                var until = BinanceErrors.BannedUntilMs(error.Message) ?? (answeredAt + TimeSpan.FromDays(1)).ToUnixTimeMilliseconds();
                Volatile.Write(ref _banMessage, error.Message);
                Interlocked.Exchange(ref _bannedUntilMs, until);
                await PauseSharedAsync(DateTimeOffset.FromUnixTimeMilliseconds(until), cancellationToken).ConfigureAwait(false);
                break;
            default:
                break;
        }
    }

    /// <summary>The used weight the answer reports for the limit in force, if it does.</summary>
    private int? UsedWeight(HttpResponseMessage response)
        => response.Headers.TryGetValues(_weightLimit.UsedWeightHeader, out var values)
            && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var used)
            ? used
            : null;

    /// <summary>One attempt of one request; the retry pipeline runs it again when it fails transiently.</summary>
    private sealed class Attempt<T>(
        BinanceClient client, BinanceRequest request, Func<byte[], T> read, Func<T, int> countRows, VendorCallLog calls)
    {
        private readonly string _description = RequestDescription.Of(request.PathAndQuery);

        public async ValueTask<T> RunAsync(CancellationToken cancellationToken)
        {
            client.ThrowIfBanned();
            await client.Limiter.AcquireAsync(request.Weight, cancellationToken).ConfigureAwait(false);
            await client.SpendSharedAsync(request.Weight, cancellationToken).ConfigureAwait(false);
            client.ThrowIfBanned(); // a ban may have come in while this attempt waited for weight

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
                await client.ObserveUsedWeightAsync(answer.UsedWeight, startedAt, cancellationToken).ConfigureAwait(false);
                if (answer.Error is { } refused)
                {
                    throw refused;
                }

                var value = Read(answer.Body);
                calls.Record(new VendorCall(startedAt, _description, status, countRows(value), request.Weight, client._time.GetElapsedTime(started)));
                return value;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                calls.Record(new VendorCall(startedAt, _description, status, 0, request.Weight, client._time.GetElapsedTime(started), "cancelled"));
                throw;
            }
            catch (Exception e) when (VendorHttpFailures.Translate(
                BinanceErrors.Vendor, client._options.BaseUrl, _description, client._options.AttemptTimeout, e, BinanceErrors.HowToChangeBaseUrl) is { } error)
            {
                calls.Record(new VendorCall(startedAt, _description, status ?? error.HttpStatus, 0, request.Weight, client._time.GetElapsedTime(started), error.Message));
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
                calls.Record(new VendorCall(startedAt, _description, status, 0, request.Weight, client._time.GetElapsedTime(started), e.Message));
                throw;
            }
        }

        private async ValueTask<Answer> SendAsync(CancellationToken cancellationToken)
        {
            using var response = await client._http.GetAsync(
                new Uri(client._baseUrl + request.PathAndQuery), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var used = client.UsedWeight(response);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var error = response.IsSuccessStatusCode
                ? null
                : BinanceErrors.FromAnswer(
                    status, body, RetryAfterHeader.Read(response.Headers, client._time.GetUtcNow()), request.Symbol, _description, client._options.DefaultRetryAfter);
            return new Answer(status, body, used, error);
        }

        /// <param name="Error">The error a non-success answer means, thrown once its used weight is recorded.</param>
        private sealed record Answer(int Status, byte[] Body, int? UsedWeight, VendorException? Error);

        private T Read(byte[] body)
        {
            try
            {
                return read(body);
            }
            catch (Exception e) when (e is JsonException or FormatException or OverflowException)
            {
                throw BinanceErrors.Malformed(_description, e);
            }
        }
    }
}
