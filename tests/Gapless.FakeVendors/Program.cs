using System.Runtime.InteropServices;
using Gapless.FakeVendors;

// `dotnet run --project tests/Gapless.FakeVendors -- binance --port 0 [options]`: starts a fake vendor, prints
// its base URL on the first stdout line, and serves until SIGINT/SIGTERM. CLI tests and benchmarks use it.
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine(FakeBinanceCommandLine.Usage);
    return args.Length == 0 ? 2 : 0;
}

if (args[0] == "alpaca")
{
    return await Gapless.FakeVendors.Alpaca.FakeAlpacaCommandLine.RunAsync(args[1..]).ConfigureAwait(false);
}

if (args[0] == "eodhd")
{
    if (!Gapless.FakeVendors.Eodhd.FakeEodhdCommandLine.TryParse(args.AsSpan(1), out var eodhdOptions, out var eodhdPort, out var eodhdError))
    {
        await Console.Error.WriteLineAsync(eodhdError).ConfigureAwait(false);
        return 2;
    }

    await using var eodhd = await Gapless.FakeVendors.Eodhd.FakeEodhd.StartAsync(eodhdOptions, eodhdPort).ConfigureAwait(false);
    return await ServeUntilStoppedAsync(eodhd.BaseUrl).ConfigureAwait(false);
}

if (args[0] != "binance")
{
    await Console.Error.WriteLineAsync($"unknown fake vendor '{args[0]}'; known: binance, alpaca, eodhd").ConfigureAwait(false);
    return 2;
}

if (!FakeBinanceCommandLine.TryParse(args.AsSpan(1), out var options, out var port, out var error))
{
    await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
    return 2;
}

await using var fake = await Gapless.FakeVendors.Binance.FakeBinance.StartAsync(options, port).ConfigureAwait(false);
return await ServeUntilStoppedAsync(fake.BaseUrl).ConfigureAwait(false);

// Prints the base URL on the first stdout line, then serves until SIGINT/SIGTERM.
static async Task<int> ServeUntilStoppedAsync(Uri baseUrl)
{
    var stop = new TaskCompletionSource();
    using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
    using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
    Console.WriteLine(baseUrl.AbsoluteUri.TrimEnd('/'));
    Console.Out.Flush();
    await stop.Task.ConfigureAwait(false);
    return 0;
}
