using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Gapless.FakeVendors.Alpaca;

/// <summary>The fake's command-line mode: reads <see cref="FakeAlpacaOptions"/>, serves until SIGINT/SIGTERM.</summary>
internal static class FakeAlpacaCommandLine
{
    public const string Usage = """
        usage: Gapless.FakeVendors alpaca [--port N] [--seed N] [--key-id ID] [--secret-key KEY] [--unknown-symbol S]...
                 [--requests-per-minute N] [--page-size N] [--quiet-rate RATE] [--recent-sip-allowed] [--empty-as-null]
                 [--fail-5xx RATE] [--fail-429 RATE] [--pause-seconds N] [--fail-truncated RATE] [--fail-slow RATE] [--slow-ms N]
        Prints the base URL (http://127.0.0.1:PORT) on the first line, then serves until SIGINT/SIGTERM.
        Keys default to fake-key-id / fake-secret-key: export APCA_API_KEY_ID and APCA_API_SECRET_KEY to match.
        """;

    /// <summary>Runs the fake from <paramref name="args"/> (after the <c>alpaca</c> word); returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (!TryParse(args, out var options, out var port, out var error))
        {
            await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
            return 2;
        }

        await using var fake = await FakeAlpaca.StartAsync(options, port).ConfigureAwait(false);
        var stop = new TaskCompletionSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
        Console.WriteLine(fake.BaseUrl.AbsoluteUri.TrimEnd('/'));
        Console.Out.Flush();
        await stop.Task.ConfigureAwait(false);
        return 0;
    }

    public static bool TryParse(string[] args, [NotNullWhen(true)] out FakeAlpacaOptions? options, out int port, [NotNullWhen(false)] out string? error)
    {
        options = new FakeAlpacaOptions();
        port = 0;
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            switch (name)
            {
                case "--recent-sip-allowed":
                    options.RecentSipAllowed = true;
                    continue;
                case "--empty-as-null":
                    options.EmptyBarsAsNull = true;
                    continue;
                case "-h" or "--help":
                    error = Usage;
                    return false;
                default:
                    break;
            }

            if (i + 1 >= args.Length)
            {
                error = $"option {name} needs a value\n{Usage}";
                return false;
            }

            var value = args[++i];
            var c = CultureInfo.InvariantCulture;
            switch (name)
            {
                case "--port": port = int.Parse(value, c); break;
                case "--seed": options.Seed = int.Parse(value, c); break;
                case "--key-id": options.KeyId = value; break;
                case "--secret-key": options.SecretKey = value; break;
                case "--unknown-symbol": options.UnknownSymbols.Add(value); break;
                case "--requests-per-minute": options.RequestsPerWindow = int.Parse(value, c); break;
                case "--page-size": options.MaxPageSize = int.Parse(value, c); break;
                case "--quiet-rate": options.QuietBarRate = double.Parse(value, c); break;
                case "--fail-5xx": options.ServerErrorRate = double.Parse(value, c); break;
                case "--fail-429": options.TooManyRequestsRate = double.Parse(value, c); break;
                case "--pause-seconds": options.InjectedPauseSeconds = int.Parse(value, c); break;
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
