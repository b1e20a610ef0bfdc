using System.CommandLine;
using Gapless.Core.Model;

namespace Gapless.Cli;

/// <summary>The selectors of one series and a range: --provider, --symbol, --timeframe, --from, --to.</summary>
internal sealed class SeriesOptions
{
    public Option<string> Provider { get; } = new("--provider") { Description = "Data provider: sim, binance, alpaca, polygon, eodhd (csv for imported files)" };

    public Option<string> Symbol { get; } = new("--symbol") { Description = "Symbol as the vendor spells it, e.g. BTCUSDT" };

    public Option<string> Timeframe { get; } = new("--timeframe") { Description = "Bar interval: 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M" };

    public Option<string> From { get; } = new("--from") { Description = "Start, UTC, inclusive: 2024-01-01 or 2024-01-01T12:00Z" };

    public Option<string> To { get; } = new("--to") { Description = "End, UTC: a date includes that whole day; a time is exclusive" };

    public void AddTo(Command command)
    {
        command.Add(Provider);
        command.Add(Symbol);
        command.Add(Timeframe);
        command.Add(From);
        command.Add(To);
    }

    public (Series Series, TimeRange Range) Read(ParseResult parse)
    {
        var series = SeriesInput.Parse(parse.GetValue(Provider), parse.GetValue(Symbol), parse.GetValue(Timeframe));
        var range = TimeInput.ParseRange(parse.GetValue(From), parse.GetValue(To));
        return (series, range);
    }
}
