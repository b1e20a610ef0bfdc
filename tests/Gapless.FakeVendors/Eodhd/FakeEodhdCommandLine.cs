using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Gapless.FakeVendors.Eodhd;

/// <summary>
/// Reads <c>Gapless.FakeVendors eodhd [options]</c> into <see cref="FakeEodhdOptions"/>, for CLI tests and trying the CLI
/// by hand (Program.cs dispatches on the first argument).
/// </summary>
public static class FakeEodhdCommandLine
{
    public const string Usage = """
        usage: Gapless.FakeVendors eodhd [--port N] [--seed N] [--token TOKEN] [--daily-allowance CALLS] [--calls-used CALLS]
                 [--minute-limit N] [--published-until ISO] [--unknown TICKER]... [--null-volume RATE]
                 [--fail-5xx RATE] [--fail-429 RATE] [--retry-after SECONDS] [--fail-truncated RATE] [--fail-slow RATE] [--slow-ms N]
                 [--no-intraday-plan]
        Serves /api/intraday/{CODE.US} for any CODE.US ticker (04:00-20:00 New York time). Prints the base URL
        (http://127.0.0.1:PORT) on the first line, then serves until SIGINT/SIGTERM. Default token: fake-eodhd-token.0123456789.
        """;

    public static bool TryParse(ReadOnlySpan<string> args, [NotNullWhen(true)] out FakeEodhdOptions? options, out int port, [NotNullWhen(false)] out string? error)
    {
        options = FakeEodhdOptions.WithToken();
        port = 0;
        error = null;
        var c = CultureInfo.InvariantCulture;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--no-intraday-plan")
            {
                options.PlanWithoutIntraday = true;
                continue;
            }

            if (i + 1 >= args.Length)
            {
                error = $"option {name} needs a value";
                return false;
            }

            var value = args[++i];
            switch (name)
            {
                case "--port": port = int.Parse(value, c); break;
                case "--seed": options.Seed = int.Parse(value, c); break;
                case "--token": options.ApiToken = value; break;
                case "--daily-allowance": options.DailyAllowance = int.Parse(value, c); break;
                case "--calls-used": options.CallsUsedAtStart = int.Parse(value, c); break;
                case "--minute-limit": options.MinuteRequestLimit = int.Parse(value, c); break;
                case "--published-until": options.PublishedUntil = DateTimeOffset.Parse(value, c, DateTimeStyles.AssumeUniversal); break;
                case "--unknown": options.UnknownTickers.Add(value); break;
                case "--null-volume": options.NullVolumeRate = double.Parse(value, c); break;
                case "--fail-5xx": options.ServerErrorRate = double.Parse(value, c); break;
                case "--fail-429": options.TooManyRequestsRate = double.Parse(value, c); break;
                case "--retry-after": options.InjectedRetryAfterSeconds = int.Parse(value, c); break;
                case "--fail-truncated": options.TruncatedBodyRate = double.Parse(value, c); break;
                case "--fail-slow": options.SlowAnswerRate = double.Parse(value, c); break;
                case "--slow-ms": options.SlowDelay = TimeSpan.FromMilliseconds(int.Parse(value, c)); break;
                default:
                    error = $"unknown option {name}\n{Usage}";
                    return false;
            }
        }

        return true;
    }
}
