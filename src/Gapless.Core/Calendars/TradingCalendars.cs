using Gapless.Core.Errors;
using NodaTime;

namespace Gapless.Core.Calendars;

/// <summary>
/// The trading calendars by name: <c>24/7</c> (crypto: always open), <c>XNYS</c> (NYSE regular session, 09:30–16:00
/// New York time, 13:00 on early-close days) and <c>XNYS-extended</c> (the same trading days, 04:00–20:00 New York
/// time, 17:00 on early-close days, as NYSE Arca's late session).
/// <para>
/// NYSE holidays and early closes ship as data (<c>Calendars/xnys.holidays.csv</c>, embedded) covering 2018 through
/// 2027. A user file in the same format, given to <see cref="Create(string, string)"/>, is applied on top: its lines
/// add closures or early closes, or replace the built-in line for the same date (kind <c>open</c> cancels one). The
/// format is <c>date,kind,close,extended_close,note</c>, one day a line, <c>#</c> for comments:
/// <code>
/// 2028-01-17,closed,,,Martin Luther King Jr. Day
/// 2028-07-03,early_close,13:00,17:00,Day before Independence Day
/// </code>
/// To warn when a range goes past the holiday data, check <see cref="ExchangeCalendar.HasHolidayDataFor"/> on
/// calendars that are an <see cref="ExchangeCalendar"/>.
/// </para>
/// Thread-safe; the calendars returned are immutable.
/// </summary>
public static class TradingCalendars
{
    /// <summary>The always-open calendar of crypto markets.</summary>
    public const string AlwaysOpen = "24/7";

    /// <summary>The NYSE regular session.</summary>
    public const string Xnys = "XNYS";

    /// <summary>The NYSE trading days with pre-market and after-hours (NYSE Arca's early and late sessions).</summary>
    public const string XnysExtended = "XNYS-extended";

    internal const string XnysHolidaysResource = "Gapless.Core.Calendars.xnys.holidays.csv";

    private static readonly LocalTime RegularOpen = new(9, 30);
    private static readonly LocalTime RegularClose = new(16, 0);
    private static readonly LocalTime ExtendedOpen = new(4, 0);
    private static readonly LocalTime ExtendedClose = new(20, 0);

    // NYSE's holiday releases since December 2019: "late trading sessions will close at 5:00 p.m." on early-close days.
    private static readonly LocalTime ExtendedEarlyClose = new(17, 0);

    private static readonly Lazy<IReadOnlyList<HolidayEntry>> BuiltInXnys = new(LoadBuiltInXnys);
    private static readonly Lazy<ExchangeCalendar> XnysCalendar = new(() => BuildXnys(extended: false, []));
    private static readonly Lazy<ExchangeCalendar> XnysExtendedCalendar = new(() => BuildXnys(extended: true, []));

    /// <summary>Every calendar name, as users type them (matching ignores case).</summary>
    public static IReadOnlyList<string> Names { get; } = [AlwaysOpen, Xnys, XnysExtended];

    /// <summary>The calendar named <paramref name="name"/> (case-insensitive), with the built-in holiday data.</summary>
    /// <exception cref="InvalidRequestException">The name is not one of <see cref="Names"/>.</exception>
    public static ITradingCalendar Get(string name) => Resolve(name) switch
    {
        AlwaysOpen => AlwaysOpenCalendar.Instance,
        Xnys => XnysCalendar.Value,
        _ => XnysExtendedCalendar.Value,
    };

    /// <summary>
    /// The calendar named <paramref name="name"/> with the holidays in <paramref name="extraHolidaysFile"/> applied
    /// on top of the built-in ones (see the class remarks for the format). Reads the file once, now.
    /// </summary>
    /// <exception cref="InvalidRequestException">
    /// Unknown name, a calendar without holidays (<c>24/7</c>), a file that cannot be read, or a bad line: the message
    /// is one line naming the file and line number, e.g. <c>holidays.csv:3: 'tomorrow' is not a date (expected yyyy-MM-dd)</c>.
    /// </exception>
    public static ITradingCalendar Create(string name, string extraHolidaysFile)
    {
        ArgumentNullException.ThrowIfNull(extraHolidaysFile);
        var resolved = Resolve(name);
        RequireHolidays(resolved);
        string text;
        try
        {
            text = File.ReadAllText(extraHolidaysFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InvalidRequestException($"cannot read holidays file '{extraHolidaysFile}': {ex.Message}", ex);
        }

        using var reader = new StringReader(text);
        return Create(resolved, reader, extraHolidaysFile);
    }

    /// <summary>
    /// As <see cref="Create(string, string)"/>, reading the extra holidays from <paramref name="extraHolidays"/>;
    /// <paramref name="sourceName"/> names it in error messages.
    /// </summary>
    public static ITradingCalendar Create(string name, TextReader extraHolidays, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(extraHolidays);
        ArgumentNullException.ThrowIfNull(sourceName);
        var resolved = Resolve(name);
        RequireHolidays(resolved);
        var extra = HolidayFile.Parse(extraHolidays, sourceName);
        return BuildXnys(extended: resolved == XnysExtended, extra);
    }

    /// <summary>The built-in NYSE holiday data, parsed from the embedded file.</summary>
    internal static IReadOnlyList<HolidayEntry> BuiltInXnysHolidays => BuiltInXnys.Value;

    private static string Resolve(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Names.FirstOrDefault(n => string.Equals(n, name.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidRequestException($"unknown trading calendar '{name}'; use one of {string.Join(", ", Names)}");
    }

    private static void RequireHolidays(string resolved)
    {
        if (resolved == AlwaysOpen)
        {
            throw new InvalidRequestException(
                $"calendar '{AlwaysOpen}' never closes, so it takes no holidays file; use {Xnys} or {XnysExtended}");
        }
    }

    private static ExchangeCalendar BuildXnys(bool extended, IReadOnlyList<HolidayEntry> extra)
    {
        var builtIn = BuiltInXnys.Value;
        var holidays = new HolidayTable(builtIn.Concat(extra));
        var zone = DateTimeZoneProviders.Tzdb["America/New_York"];
        var anchorYear = builtIn.Min(e => e.Date.Year);
        return extended
            ? new ExchangeCalendar(XnysExtended, zone, ExtendedOpen, ExtendedClose, e => e.ExtendedClose ?? ExtendedEarlyClose, holidays, anchorYear)
            : new ExchangeCalendar(Xnys, zone, RegularOpen, RegularClose, e => e.Close!.Value, holidays, anchorYear);
    }

    private static IReadOnlyList<HolidayEntry> LoadBuiltInXnys()
    {
        using var stream = typeof(TradingCalendars).Assembly.GetManifestResourceStream(XnysHolidaysResource)
            ?? throw new InvalidOperationException($"embedded resource {XnysHolidaysResource} is missing from Gapless.Core");
        using var reader = new StreamReader(stream);
        return HolidayFile.Parse(reader, "xnys.holidays.csv (built in)");
    }
}
