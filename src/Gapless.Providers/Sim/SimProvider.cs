using System.Globalization;
using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;

namespace Gapless.Providers.Sim;

/// <summary>
/// The <c>sim</c> provider: a deterministic synthetic 24/7 market served through the same engine as a real vendor,
/// for trying Gapless with no network and no keys. Any symbol of capital letters, digits and '-' trades from
/// <see cref="SimOptions.ListedFrom"/>; some hours are vendor holes (<see cref="SimOptions.HoleRate"/>).
/// </summary>
public sealed class SimProvider : IBarProvider
{
    private readonly SimOptions _options;
    private readonly SimMarket _market;
    private readonly TimeProvider _clock;

    public SimProvider(SimOptions? options = null, TimeProvider? clock = null)
    {
        _options = options ?? new SimOptions();
        _market = new SimMarket(_options);
        _clock = clock ?? TimeProvider.System;
        Capabilities = new ProviderCapabilities(
            MaxBarsPerRequest: _options.MaxBarsPerRequest,
            RequestWeight: 1,
            Budget: null,
            Timeframes: Timeframe.All,
            FinalizationDelay: TimeSpan.Zero,
            Calendar: "24/7",
            MaxConcurrency: 4);
    }

    public string Name => "sim";

    public ProviderCapabilities Capabilities { get; }

    public async Task<IReadOnlyList<Bar>> FetchAsync(Series series, TimeRange chunk, VendorCallLog calls, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(calls);
        var started = _clock.GetUtcNow();
        var timestamp = _clock.GetTimestamp();
        var request = string.Create(
            CultureInfo.InvariantCulture,
            $"sim:/bars?symbol={series.Symbol}&interval={series.Timeframe.Code}&from={chunk.FromMs}&to={chunk.ToMs}");

        if (!IsValidSymbol(series.Symbol))
        {
            calls.Record(new VendorCall(started, request, 400, 0, 1, TimeSpan.Zero, "invalid symbol"));
            throw new VendorException(
                Name, VendorErrorKind.InvalidSymbol,
                $"sim refused symbol '{series.Symbol}': use capital letters, digits and '-' (for example SIM-BTC)",
                httpStatus: 400);
        }

        if (_options.Latency > TimeSpan.Zero)
        {
            await Task.Delay(_options.Latency, _clock, cancellationToken).ConfigureAwait(false);
        }

        var bars = _market.Bars(series.Symbol, series.Timeframe, chunk);
        calls.Record(new VendorCall(started, request, 200, bars.Count, 1, _clock.GetElapsedTime(timestamp)));
        return bars;
    }

    private static bool IsValidSymbol(string symbol)
        => symbol.Length is > 0 and <= 32 && symbol.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '-');
}
