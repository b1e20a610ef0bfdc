using System.CommandLine;
using System.Globalization;
using Gapless.Core.Calendars;
using Gapless.Core.Errors;
using Gapless.Core.Model;
using Gapless.Core.Ports;

namespace Gapless.Cli;

/// <summary>
/// Selects many series and one range, for quality reports and backfills: --provider, --symbols A,B |
/// --symbols-file F | --all, --timeframe, --since 48h | --from/--to, --calendar, --holidays-file.
/// </summary>
internal sealed class SeriesSetOptions(bool requireSelection)
{
    public Option<string> Provider { get; } = new("--provider") { Description = "Data provider: sim, binance, alpaca, polygon, eodhd, csv" };

    public Option<string> Symbols { get; } = new("--symbols") { Description = "Comma-separated symbols, e.g. BTCUSDT,ETHUSDT" };

    public Option<FileInfo> SymbolsFile { get; } = new("--symbols-file") { Description = "A file of symbols, one per line (# comments and blank lines ignored)" };

    public Option<bool> All { get; } = new("--all") { Description = "Every series of the provider (and timeframe) the store holds" };

    public Option<string> Timeframe { get; } = new("--timeframe") { Description = "Bar interval: 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M" };

    public Option<string> Since { get; } = new("--since") { Description = "The range ending now: 90m, 48h, 7d or 2w" };

    public Option<string> From { get; } = new("--from") { Description = "Start, UTC, inclusive: 2024-01-01 or 2024-01-01T12:00Z" };

    public Option<string> To { get; } = new("--to") { Description = "End, UTC: a date includes that whole day; a time is exclusive" };

    public Option<string> Calendar { get; } = new("--calendar") { Description = "Count expected bars under this calendar instead of the provider's: 24/7, XNYS, XNYS-extended" };

    public Option<FileInfo> HolidaysFile { get; } = new("--holidays-file") { Description = "Extra holidays and early closes for the calendar (lines: date,closed|early_close[,HH:MM][,note])" };

    public void AddTo(Command command)
    {
        command.Add(Provider);
        command.Add(Symbols);
        command.Add(SymbolsFile);
        command.Add(All);
        command.Add(Timeframe);
        command.Add(Since);
        command.Add(From);
        command.Add(To);
        command.Add(Calendar);
        command.Add(HolidaysFile);
    }

    /// <summary>The range: --since, or --from with --to; null when neither is given (and none is required).</summary>
    public TimeRange? ReadRange(ParseResult parse, TimeProvider clock, bool required)
    {
        var since = parse.GetValue(Since);
        var from = parse.GetValue(From);
        var to = parse.GetValue(To);
        if (!string.IsNullOrWhiteSpace(since))
        {
            if (from is not null || to is not null)
            {
                throw new UsageException("give either --since or --from/--to, not both");
            }

            var nowMs = UtcTime.ToEpochMs(clock.GetUtcNow());
            return new TimeRange(nowMs - (long)ParseDuration(since).TotalMilliseconds, nowMs);
        }

        if (from is null && to is null)
        {
            return required ? throw new UsageException("give the range: --since 48h, or --from 2024-01-01 --to 2024-01-31") : null;
        }

        return TimeInput.ParseRange(from, to);
    }

    /// <summary>The series the options name: listed symbols, or (with --all or nothing listed) those the store holds.</summary>
    public async Task<IReadOnlyList<Series>> ReadSeriesAsync(ParseResult parse, IBarReader store, CancellationToken cancellationToken)
    {
        var provider = parse.GetValue(Provider)?.Trim().ToLowerInvariant();
        var timeframe = SeriesInput.ParseTimeframe(parse.GetValue(Timeframe));
        var listed = ReadSymbols(parse);
        if (listed is not null && parse.GetValue(All))
        {
            throw new UsageException("give --symbols/--symbols-file or --all, not both");
        }

        if (requireSelection && string.IsNullOrEmpty(provider))
        {
            throw new UsageException("--provider is required (for example --provider binance)");
        }

        if (listed is null)
        {
            if (requireSelection && !parse.GetValue(All))
            {
                throw new UsageException("name the series: --symbols A,B, --symbols-file FILE, or --all for every series of the provider in the store");
            }

            var held = await store.ListSeriesAsync(new SeriesFilter(provider, null, timeframe), cancellationToken).ConfigureAwait(false);
            return [.. held.Where(s => !s.Coverage.IsEmpty || s.BarCount > 0).Select(s => s.Series)];
        }

        if (string.IsNullOrEmpty(provider))
        {
            throw new UsageException("--provider is required with --symbols (for example --provider binance)");
        }

        if (timeframe is null)
        {
            throw new UsageException($"--timeframe is required with --symbols; use one of {string.Join(' ', Core.Model.Timeframe.All.Select(t => t.Code))}");
        }

        return [.. listed.Select(symbol => new Series(provider, symbol, timeframe))];
    }

    /// <summary>The calendar the user asked for, or null to use each provider's own.</summary>
    public ITradingCalendar? ReadCalendar(ParseResult parse)
    {
        var name = parse.GetValue(Calendar);
        var holidays = parse.GetValue(HolidaysFile);
        try
        {
            if (holidays is not null)
            {
                return TradingCalendars.Create(string.IsNullOrWhiteSpace(name) ? TradingCalendars.Xnys : name.Trim(), holidays.FullName);
            }

            return string.IsNullOrWhiteSpace(name) ? null : TradingCalendars.Get(name.Trim());
        }
        catch (InvalidRequestException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    private List<string>? ReadSymbols(ParseResult parse)
    {
        var inline = parse.GetValue(Symbols);
        var file = parse.GetValue(SymbolsFile);
        if (inline is not null && file is not null)
        {
            throw new UsageException("give --symbols or --symbols-file, not both");
        }

        IEnumerable<string>? raw = null;
        if (inline is not null)
        {
            raw = inline.Split(',');
        }
        else if (file is not null)
        {
            if (!file.Exists)
            {
                throw new UsageException($"--symbols-file {file.FullName} does not exist");
            }

            raw = File.ReadLines(file.FullName).Select(l => l.Split('#')[0]);
        }

        if (raw is null)
        {
            return null;
        }

        var symbols = raw.Select(s => s.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        return symbols.Count > 0 ? symbols : throw new UsageException("the symbol list is empty");
    }

    /// <summary>90m, 48h, 7d, 2w.</summary>
    internal static TimeSpan ParseDuration(string text)
    {
        text = text.Trim();
        if (text.Length >= 2
            && long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n > 0
            && char.ToLowerInvariant(text[^1]) is var unit
            && unit is 's' or 'm' or 'h' or 'd' or 'w')
        {
            return unit switch
            {
                's' => TimeSpan.FromSeconds(n),
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                _ => TimeSpan.FromDays(7 * n),
            };
        }

        throw new UsageException($"'{text}' is not a duration; use a number and a unit: 90m, 48h, 7d, 2w");
    }
}
