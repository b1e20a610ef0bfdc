using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Gapless.Core.Model;
using Gapless.FakeVendors.Binance;

namespace Gapless.FakeVendors;

/// <summary>Reads the fake's command line into <see cref="FakeBinanceOptions"/>.</summary>
internal static class FakeBinanceCommandLine
{
    public const string Usage = """
        usage: Gapless.FakeVendors binance [--port N] [--seed N] [--symbol NAME[@LISTED_ISO]]...
                 [--weight-limit N] [--weight-interval SECOND|MINUTE|HOUR|DAY] [--weight-interval-num N]
                 [--fail-5xx RATE] [--fail-429 RATE] [--retry-after SECONDS] [--fail-truncated RATE]
                 [--fail-slow RATE] [--slow-ms N] [--invalid-rows RATE] [--restricted]
        Prints the base URL (http://127.0.0.1:PORT) on the first line, then serves until SIGINT/SIGTERM.
        Default symbols: BTCUSDT (listed 2017-08-17T04:00Z) and ETHUSDT (listed 2017-08-17T04:00Z).
        """;

    public static bool TryParse(ReadOnlySpan<string> args, [NotNullWhen(true)] out FakeBinanceOptions? options, out int port, [NotNullWhen(false)] out string? error)
    {
        options = new FakeBinanceOptions();
        port = 0;
        error = null;
        int? weightLimit = null;
        var weightInterval = "MINUTE";
        var weightIntervalNum = 1;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--restricted")
            {
                options.Restricted = true;
                continue;
            }

            if (i + 1 >= args.Length)
            {
                error = $"option {name} needs a value";
                return false;
            }

            var value = args[++i];
            var c = CultureInfo.InvariantCulture;
            switch (name)
            {
                case "--port": port = int.Parse(value, c); break;
                case "--seed": options.Seed = int.Parse(value, c); break;
                case "--symbol": options.Symbols.Add(Symbol(value)); break;
                case "--weight-limit": weightLimit = int.Parse(value, c); break;
                case "--weight-interval": weightInterval = value; break;
                case "--weight-interval-num": weightIntervalNum = int.Parse(value, c); break;
                case "--fail-5xx": options.ServerErrorRate = double.Parse(value, c); break;
                case "--fail-429": options.TooManyRequestsRate = double.Parse(value, c); break;
                case "--retry-after": options.InjectedRetryAfterSeconds = int.Parse(value, c); break;
                case "--fail-truncated": options.TruncatedBodyRate = double.Parse(value, c); break;
                case "--fail-slow": options.SlowAnswerRate = double.Parse(value, c); break;
                case "--slow-ms": options.SlowDelay = TimeSpan.FromMilliseconds(int.Parse(value, c)); break;
                case "--invalid-rows": options.InvalidRowRate = double.Parse(value, c); break;
                default:
                    error = $"unknown option {name}\n{Usage}";
                    return false;
            }
        }

        if (options.Symbols.Count == 0)
        {
            options.Symbols.Add(FakeSymbol.BtcUsdt());
            options.Symbols.Add(FakeSymbol.BtcUsdt() with { Name = "ETHUSDT", BasePrice = 2_000m });
        }

        if (weightLimit is { } limit)
        {
            foreach (var l in FakeRateLimit.BinanceDefaults.Where(l => l.RateLimitType != "REQUEST_WEIGHT"))
            {
                options.RateLimits.Add(l);
            }

            options.RateLimits.Insert(0, FakeRateLimit.Weight(limit, weightInterval, weightIntervalNum));
        }

        return true;
    }

    private static FakeSymbol Symbol(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
        {
            return FakeSymbol.BtcUsdt() with { Name = value };
        }

        var listed = DateTimeOffset.Parse(value[(at + 1)..], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        return FakeSymbol.BtcUsdt() with { Name = value[..at], ListedAtMs = UtcTime.ToEpochMs(listed) };
    }
}
