using Gapless.Core.Errors;
using Polly;
using Polly.Retry;

namespace Gapless.Providers.Http;

/// <summary>The retry and timeout settings of one vendor's pipeline.</summary>
/// <param name="MaxRetries">Retries after the first attempt; 0 disables retrying.</param>
/// <param name="BaseDelay">The first backoff delay; each retry doubles it, with jitter.</param>
/// <param name="MaxDelay">The longest backoff delay (a vendor's Retry-After may ask for longer and is obeyed).</param>
/// <param name="AttemptTimeout">How long one attempt may take, from send to the end of the body.</param>
internal sealed record VendorRetrySettings(int MaxRetries, TimeSpan BaseDelay, TimeSpan MaxDelay, TimeSpan AttemptTimeout);

/// <summary>
/// Builds the Polly pipelines every vendor shares (STYLE habit 11: resilience is configured, not hand-written).
/// Time comes from the caller's <see cref="TimeProvider"/>, so tests with a manual clock run instantly.
/// </summary>
internal static class VendorResilience
{
    /// <summary>
    /// Retries transient <see cref="VendorException"/>s (429, 5xx, timeouts, broken bodies, unreachable) with
    /// exponential backoff and jitter; when the vendor said how long to wait (Retry-After), that wait is used.
    /// </summary>
    public static ResiliencePipeline CreateRetry(VendorRetrySettings settings, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (settings.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is VendorException { IsTransient: true }),
                MaxRetryAttempts = settings.MaxRetries,
                Delay = settings.BaseDelay,
                MaxDelay = settings.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Exception is VendorException { RetryAfter: { } wait } ? wait : (TimeSpan?)null),
            });
        }

        return builder.Build();
    }

    /// <summary>Cancels one attempt after <see cref="VendorRetrySettings.AttemptTimeout"/>.</summary>
    public static ResiliencePipeline CreateAttemptTimeout(VendorRetrySettings settings, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddTimeout(settings.AttemptTimeout)
            .Build();
    }
}
