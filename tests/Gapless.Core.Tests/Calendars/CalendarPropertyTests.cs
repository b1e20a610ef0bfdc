using FsCheck;
using FsCheck.Fluent;
using Gapless.Core.Calendars;
using Gapless.Core.Model;

namespace Gapless.Core.Tests.Calendars;

/// <summary>
/// The calendars on random ranges and timeframes inside 2018–2027, checked against themselves (count, enumeration
/// and per-bar answers agree; counts add up over adjacent ranges) and against <see cref="NyseReference"/>, an oracle
/// that shares no code or data with the product.
/// </summary>
public sealed class CalendarPropertyTests
{
    private const long Day = 86_400_000;
    private const int MaxBars = 3000;

    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300);
    private static readonly long Start = new DateTimeOffset(2018, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    private static readonly long End = new DateTimeOffset(2028, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    /// <summary>A calendar, a timeframe, and a range <c>[From, To)</c> split at <c>Mid</c>.</summary>
    public sealed record Case(string Calendar, Timeframe Timeframe, long From, long Mid, long To)
    {
        public ITradingCalendar Subject => TradingCalendars.Get(Calendar);

        public TimeRange Range => new(From, To);

        public bool Daily => !Timeframe.IsFixedLength || Timeframe.NominalLengthMs >= Day;

        /// <summary>The aligned opens in the range that the oracle expects.</summary>
        public IEnumerable<long> OracleOpens()
        {
            for (var t = Timeframe.Ceiling(From); t < To; t = Timeframe.Add(t, 1))
            {
                if (Oracle(t))
                {
                    yield return t;
                }
            }
        }

        public bool Oracle(long open) => Calendar == TradingCalendars.AlwaysOpen
            || NyseReference.Expects(open, Timeframe.CloseOf(open), Daily, Calendar == TradingCalendars.XnysExtended);

        public override string ToString()
            => $"{Calendar} {Timeframe} [{UtcTime.ToIso(From)}, {UtcTime.ToIso(Mid)}, {UtcTime.ToIso(To)})";
    }

    private static Arbitrary<Case> Cases { get; } = Arb.From(
        from calendar in Gen.Elements(TradingCalendars.Names.ToArray())
        from timeframe in Gen.Elements(Timeframe.All.ToArray())
        from day in Gen.Choose(0, 3650)
        from msOfDay in Gen.Choose(0, (int)Day - 1)
        from snap in Gen.Choose(0, 2)
        from lengthPermille in Gen.Frequency((1, Gen.Constant(0)), (8, Gen.Choose(0, 1000)))
        from midPermille in Gen.Choose(0, 1000)
        select Build(calendar, timeframe, day, msOfDay, snap, lengthPermille, midPermille));

    private static Case Build(string calendar, Timeframe timeframe, int day, int msOfDay, int snap, int lengthPermille, int midPermille)
    {
        // A third of the ranges start on a bar boundary, where off-by-one errors live.
        var from = Start + (day * Day) + msOfDay;
        from = snap == 0 ? timeframe.Floor(from) : from;
        from = Math.Max(from, Start);
        var span = Math.Min(MaxBars * timeframe.NominalLengthMs, 400 * Day);
        var to = Math.Min(End, from + (span * lengthPermille / 1000));
        to = Math.Max(to, from);
        var mid = from + ((to - from) * midPermille / 1000);
        return new Case(calendar, timeframe, from, mid, to);
    }

    private static void Check(Action<Case> property) => FsCheck.Check.One(Runs, Prop.ForAll(Cases, property));

    [Fact]
    public void CountExpected_EqualsTheNumberOfExpectedOpenTimes()
        => Check(c => Assert.Equal(c.Subject.ExpectedOpenTimes(c.Timeframe, c.Range).Count(), c.Subject.CountExpected(c.Timeframe, c.Range)));

    [Fact]
    public void CountExpected_IsAdditiveOverAdjacentRanges()
        => Check(c => Assert.Equal(
            c.Subject.CountExpected(c.Timeframe, c.Range),
            c.Subject.CountExpected(c.Timeframe, new TimeRange(c.From, c.Mid)) + c.Subject.CountExpected(c.Timeframe, new TimeRange(c.Mid, c.To))));

    [Fact]
    public void ExpectedOpenTimes_MatchTheOracle_AndAreAscendingAlignedAndInside()
        => Check(c =>
        {
            var opens = c.Subject.ExpectedOpenTimes(c.Timeframe, c.Range).ToList();
            Assert.Equal(c.OracleOpens(), opens);
            Assert.All(opens, t => Assert.True(c.Range.Contains(t) && c.Timeframe.IsAligned(t)));
            Assert.Equal(opens.Order(), opens);
        });

    [Fact]
    public void IsExpected_AgreesWithExpectedOpenTimes_ForEveryBarAndOffGrid()
        => Check(c =>
        {
            var expected = c.Subject.ExpectedOpenTimes(c.Timeframe, c.Range).ToHashSet();
            for (var t = c.Timeframe.Ceiling(c.From); t < c.To; t = c.Timeframe.Add(t, 1))
            {
                Assert.Equal(expected.Contains(t), c.Subject.IsExpected(c.Timeframe, t));
            }

            Assert.False(c.Subject.IsExpected(c.Timeframe, c.Timeframe.Ceiling(c.From) + 1));
        });

    [Fact]
    public void Sessions_MatchTheOracle_CutToTheRange()
        => Check(c =>
        {
            if (c.Calendar == TradingCalendars.AlwaysOpen)
            {
                return;
            }

            var extended = c.Calendar == TradingCalendars.XnysExtended;
            var oracle = new List<TimeRange>();
            for (var d = NyseReference.DateOf(c.From).AddDays(-1); d <= NyseReference.DateOf(c.To).AddDays(1); d = d.AddDays(1))
            {
                if (NyseReference.Session(d, extended) is { } s && Math.Max(s.Open, c.From) < Math.Min(s.Close, c.To))
                {
                    oracle.Add(new TimeRange(Math.Max(s.Open, c.From), Math.Min(s.Close, c.To)));
                }
            }

            Assert.Equal(oracle, c.Subject.Sessions(c.Range));
        });
}
