using FsCheck;
using FsCheck.Fluent;
using Gapless.Core.Model;

namespace Gapless.Core.Tests.Model;

public sealed class TimeframeTests
{
    private const long Minute = 60_000;
    private const long Hour = 60 * Minute;
    private const long Day = 24 * Hour;

    private static readonly string[] Codes = ["1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w", "1M"];

    private static long T(int year, int month, int day, int hour = 0, int minute = 0, int second = 0, int ms = 0)
        => new DateTimeOffset(year, month, day, hour, minute, second, ms, TimeSpan.Zero).ToUnixTimeMilliseconds();

    public static TheoryData<string> AllCodes() => [.. Codes];

    [Theory]
    [MemberData(nameof(AllCodes))]
    public void Parse_EachSupportedCode_RoundTrips(string code)
    {
        var tf = Timeframe.Parse(code);
        Assert.Equal(code, tf.Code);
        Assert.Equal(code, tf.ToString());
        Assert.True(Timeframe.TryParse(code, out var parsed));
        Assert.Same(tf, parsed);
    }

    [Fact]
    public void All_ListsEveryCodeShortestFirst()
    {
        Assert.Equal(Codes, Timeframe.All.Select(t => t.Code));
        Assert.Equal(
            [Minute, 3 * Minute, 5 * Minute, 15 * Minute, 30 * Minute, Hour, 2 * Hour, 4 * Hour, 6 * Hour, 8 * Hour, 12 * Hour, Day, 3 * Day, 7 * Day, 31 * Day],
            Timeframe.All.Select(t => t.NominalLengthMs));
        Assert.Equal(Timeframe.All.Count - 1, Timeframe.All.Count(t => t.IsFixedLength));
        Assert.False(Timeframe.Month1.IsFixedLength);
    }

    [Fact]
    public void Parse_CaseMatters_MonthIsNotMinute()
    {
        Assert.Same(Timeframe.Month1, Timeframe.Parse("1M"));
        Assert.Same(Timeframe.M1, Timeframe.Parse("1m"));
        Assert.NotEqual(Timeframe.M1, Timeframe.Month1);
        Assert.False(Timeframe.M1 == Timeframe.Month1);
        Assert.True(Timeframe.M1 != Timeframe.Month1);
    }

    [Theory]
    [InlineData("1H")]
    [InlineData("1D")]
    [InlineData("1W")]
    [InlineData("3M")]
    [InlineData("60m")]
    [InlineData("2d")]
    [InlineData("1y")]
    [InlineData(" 1m")]
    [InlineData("1m ")]
    [InlineData("")]
    [InlineData("m1")]
    public void Parse_UnknownCode_IsRejected(string code)
    {
        Assert.False(Timeframe.TryParse(code, out var tf));
        Assert.Null(tf);
        var ex = Assert.Throws<FormatException>(() => Timeframe.Parse(code));
        Assert.Contains($"'{code}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1m 3m 5m", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Null_IsRejected()
    {
        Assert.False(Timeframe.TryParse(null, out var tf));
        Assert.Null(tf);
    }

    [Fact]
    public void FixedInterval_FloorCeilingAligned()
    {
        var tf = Timeframe.H1;
        var t = T(2024, 3, 10, 10, 30);
        Assert.Equal(T(2024, 3, 10, 10), tf.Floor(t));
        Assert.Equal(T(2024, 3, 10, 11), tf.Ceiling(t));
        Assert.False(tf.IsAligned(t));
        Assert.True(tf.IsAligned(T(2024, 3, 10, 10)));
        Assert.Equal(T(2024, 3, 10, 10), tf.Floor(T(2024, 3, 10, 10)));
        Assert.Equal(T(2024, 3, 10, 10), tf.Ceiling(T(2024, 3, 10, 10)));
        Assert.Equal(T(2024, 3, 10, 10), tf.Ceiling(T(2024, 3, 10, 9, 0, 0, 1)));
        Assert.Equal(T(2024, 3, 10, 9), tf.Floor(T(2024, 3, 10, 9, 59, 59, 999)));
        Assert.Equal(T(2024, 3, 10, 13), tf.Add(T(2024, 3, 10, 10), 3));
        Assert.Equal(T(2024, 3, 10, 7), tf.Add(T(2024, 3, 10, 10), -3));
        Assert.Equal(T(2024, 3, 10, 11), tf.CloseOf(T(2024, 3, 10, 10)));
    }

    [Fact]
    public void ThreeDays_GridStartsAtEpoch()
    {
        // 1970-01-01 + 3k days: 2024-01-01 is day 19723 = 3 × 6574 + 1, so the grid point before it is 2023-12-31.
        Assert.Equal(T(2023, 12, 31), Timeframe.D3.Floor(T(2024, 1, 1, 12)));
        Assert.Equal(T(2024, 1, 3), Timeframe.D3.Ceiling(T(2024, 1, 1)));
        Assert.Equal(-3 * Day, Timeframe.D3.Floor(-1));
    }

    [Fact]
    public void FixedInterval_NegativeEpochTimes_FloorTowardsMinusInfinity()
    {
        Assert.Equal(-Minute, Timeframe.M1.Floor(-1));
        Assert.Equal(0, Timeframe.M1.Ceiling(-1));
        Assert.Equal(-Minute, Timeframe.M1.Floor(-Minute));
        Assert.Equal(-Minute, Timeframe.M1.Ceiling(-Minute));
        Assert.Equal(-2 * Minute, Timeframe.M1.Floor(-Minute - 1));
        Assert.True(Timeframe.M1.IsAligned(-Minute));
        Assert.False(Timeframe.M1.IsAligned(-Minute + 1));
        Assert.Equal(T(1969, 7, 20, 20), Timeframe.H4.Floor(T(1969, 7, 20, 20, 17, 40)));
        Assert.Equal(T(1969, 12, 31), Timeframe.D1.Floor(-1));
    }

    [Fact]
    public void Week_OpensMondayMidnightUtc()
    {
        var w = Timeframe.W1;
        var monday = T(2024, 1, 1);
        Assert.Equal(DayOfWeek.Monday, UtcTime.ToDateTimeOffset(monday).DayOfWeek);
        Assert.Equal(monday, w.Floor(monday));
        Assert.Equal(monday, w.Floor(T(2024, 1, 3, 12)));
        Assert.Equal(monday, w.Floor(T(2024, 1, 7, 23, 59, 59, 999)));
        Assert.Equal(T(2023, 12, 25), w.Floor(monday - 1));
        Assert.Equal(monday, w.Ceiling(monday - 1));
        Assert.Equal(T(2024, 1, 8), w.Ceiling(monday + 1));
        Assert.True(w.IsAligned(monday));
        Assert.False(w.IsAligned(T(2024, 1, 2)));
        Assert.Equal(T(2024, 1, 15), w.Add(monday, 2));
        Assert.Equal(T(2024, 1, 8), w.CloseOf(monday));
    }

    [Fact]
    public void Week_AroundAndBeforeEpoch_StillMonday()
    {
        var w = Timeframe.W1;
        // 1970-01-01 was a Thursday: its week opened Monday 1969-12-29.
        Assert.Equal(T(1969, 12, 29), w.Floor(0));
        Assert.Equal(T(1970, 1, 5), w.Ceiling(0));
        Assert.Equal(T(1969, 12, 29), w.Floor(-1));
        Assert.Equal(T(1969, 7, 14), w.Floor(T(1969, 7, 20, 20, 17)));
        Assert.Equal(DayOfWeek.Monday, UtcTime.ToDateTimeOffset(w.Floor(T(1969, 7, 20))).DayOfWeek);
    }

    [Fact]
    public void Month_FloorCeilingAndAdd()
    {
        var m = Timeframe.Month1;
        var jan31 = T(2024, 1, 31, 12);
        Assert.Equal(T(2024, 1, 1), m.Floor(jan31));
        Assert.Equal(T(2024, 2, 1), m.Ceiling(jan31));
        Assert.Equal(T(2024, 2, 1), m.Ceiling(T(2024, 1, 1, 0, 0, 0, 1)));
        Assert.Equal(T(2024, 1, 1), m.Ceiling(T(2024, 1, 1)));
        Assert.True(m.IsAligned(T(2024, 2, 1)));
        Assert.False(m.IsAligned(T(2024, 2, 2)));
        Assert.False(m.IsAligned(T(2024, 2, 1, 0, 0, 0, 1)));
        Assert.Equal(T(2024, 2, 1), m.Add(T(2024, 1, 1), 1));
        Assert.Equal(T(2025, 3, 1), m.Add(T(2024, 1, 1), 14));
        Assert.Equal(T(2023, 11, 1), m.Add(T(2024, 1, 1), -2));
        Assert.Equal(T(2024, 3, 1), m.CloseOf(T(2024, 2, 1)));
    }

    [Fact]
    public void Month_LengthFollowsCalendarAndLeapYears()
    {
        var m = Timeframe.Month1;
        Assert.Equal(29 * Day, m.CloseOf(T(2024, 2, 1)) - T(2024, 2, 1));
        Assert.Equal(28 * Day, m.CloseOf(T(2023, 2, 1)) - T(2023, 2, 1));
        Assert.Equal(28 * Day, m.CloseOf(T(1900, 2, 1)) - T(1900, 2, 1));
        Assert.Equal(29 * Day, m.CloseOf(T(2000, 2, 1)) - T(2000, 2, 1));
        Assert.Equal(31 * Day, m.CloseOf(T(2024, 1, 1)) - T(2024, 1, 1));
        Assert.Equal(30 * Day, m.CloseOf(T(2024, 4, 1)) - T(2024, 4, 1));
        Assert.Equal(T(2024, 2, 1), m.Floor(T(2024, 2, 29, 23, 59, 59, 999)));
        Assert.Equal(T(2024, 3, 1), m.Ceiling(T(2024, 2, 29, 23, 59, 59, 999)));
    }

    [Fact]
    public void Month_NegativeEpochTimes()
    {
        var m = Timeframe.Month1;
        Assert.Equal(T(1969, 12, 1), m.Floor(-1));
        Assert.Equal(-31 * Day, m.Floor(-1));
        Assert.Equal(0, m.Ceiling(-1));
        Assert.Equal(0, m.Add(T(1969, 12, 1), 1));
        Assert.Equal(T(1969, 2, 1), m.Floor(T(1969, 2, 28, 23)));
        Assert.Equal(2, m.CountBars(T(1969, 11, 15), T(1970, 1, 1, 0, 0, 0, 1)));
    }

    [Fact]
    public void CountBars_CountsOpensInsideHalfOpenRange()
    {
        Assert.Equal(60, Timeframe.M1.CountBars(T(2024, 1, 1, 10), T(2024, 1, 1, 11)));
        Assert.Equal(61, Timeframe.M1.CountBars(T(2024, 1, 1, 10), T(2024, 1, 1, 11, 0, 0, 1)));
        Assert.Equal(59, Timeframe.M1.CountBars(T(2024, 1, 1, 10, 0, 0, 1), T(2024, 1, 1, 11)));
        Assert.Equal(0, Timeframe.H1.CountBars(T(2024, 1, 1, 10, 1), T(2024, 1, 1, 10, 59)));
        Assert.Equal(0, Timeframe.H1.CountBars(T(2024, 1, 1, 11), T(2024, 1, 1, 10)));
        Assert.Equal(0, Timeframe.H1.CountBars(T(2024, 1, 1, 10), T(2024, 1, 1, 10)));
        Assert.Equal(1, Timeframe.H1.CountBars(new TimeRange(T(2024, 1, 1, 10), T(2024, 1, 1, 10, 0, 0, 1))));
        Assert.Equal(3, Timeframe.Month1.CountBars(T(2024, 1, 1), T(2024, 4, 1)));
        Assert.Equal(4, Timeframe.Month1.CountBars(T(2024, 1, 1), T(2024, 4, 1, 0, 0, 0, 1)));
        Assert.Equal(2, Timeframe.Month1.CountBars(T(2024, 1, 15), T(2024, 4, 1)));
        Assert.Equal(12, Timeframe.Month1.CountBars(T(2023, 12, 31), T(2024, 12, 2)));
        Assert.Equal(0, Timeframe.Month1.CountBars(T(2024, 1, 2), T(2024, 1, 31)));
        Assert.Equal(1, Timeframe.W1.CountBars(T(2023, 12, 31), T(2024, 1, 2)));
        Assert.Equal(52, Timeframe.W1.CountBars(T(2024, 1, 1), T(2024, 12, 30)));
    }

    [Fact]
    public void AlignOutward_And_AlignInward()
    {
        var r = new TimeRange(T(2024, 1, 1, 10, 30), T(2024, 1, 1, 12, 30));
        Assert.Equal(new TimeRange(T(2024, 1, 1, 10), T(2024, 1, 1, 13)), Timeframe.H1.AlignOutward(r));
        Assert.Equal(new TimeRange(T(2024, 1, 1, 11), T(2024, 1, 1, 12)), Timeframe.H1.AlignInward(r));

        var aligned = new TimeRange(T(2024, 1, 1, 10), T(2024, 1, 1, 12));
        Assert.Equal(aligned, Timeframe.H1.AlignOutward(aligned));
        Assert.Equal(aligned, Timeframe.H1.AlignInward(aligned));

        var tiny = new TimeRange(T(2024, 1, 1, 10, 15), T(2024, 1, 1, 10, 45));
        Assert.Equal(new TimeRange(T(2024, 1, 1, 10), T(2024, 1, 1, 11)), Timeframe.H1.AlignOutward(tiny));
        Assert.True(Timeframe.H1.AlignInward(tiny).IsEmpty);

        var months = new TimeRange(T(2024, 1, 31), T(2024, 3, 10));
        Assert.Equal(new TimeRange(T(2024, 1, 1), T(2024, 4, 1)), Timeframe.Month1.AlignOutward(months));
        Assert.Equal(new TimeRange(T(2024, 2, 1), T(2024, 3, 1)), Timeframe.Month1.AlignInward(months));

        var weeks = new TimeRange(T(2024, 1, 3), T(2024, 1, 17));
        Assert.Equal(new TimeRange(T(2024, 1, 1), T(2024, 1, 22)), Timeframe.W1.AlignOutward(weeks));
        Assert.Equal(new TimeRange(T(2024, 1, 8), T(2024, 1, 15)), Timeframe.W1.AlignInward(weeks));

        var empty = new TimeRange(T(2024, 1, 1, 10, 30), T(2024, 1, 1, 10, 30));
        Assert.Equal(new TimeRange(T(2024, 1, 1, 10), T(2024, 1, 1, 11)), Timeframe.H1.AlignOutward(empty));
        Assert.True(Timeframe.H1.AlignInward(empty).IsEmpty);
    }

    /// <summary>A timeframe, a brute-force grid of its bar opens, and a random range inside the grid.</summary>
    public sealed record GridCase(Timeframe Timeframe, long[] Grid, long FromMs, long ToMs)
    {
        public override string ToString() => $"{Timeframe} [{UtcTime.ToIso(FromMs)}, {UtcTime.ToIso(ToMs)})";
    }

    private static long[] BuildGrid(Timeframe tf)
    {
        // Built without Timeframe's own arithmetic: months by the calendar, weeks from a known Monday,
        // fixed intervals from the epoch. About 300 bars either side of the anchor.
        if (tf == Timeframe.Month1)
        {
            var anchor = new DateTimeOffset(1950, 1, 1, 0, 0, 0, TimeSpan.Zero);
            return [.. Enumerable.Range(0, 12 * 100).Select(i => anchor.AddMonths(i).ToUnixTimeMilliseconds())];
        }

        var step = tf.NominalLengthMs;
        var origin = tf == Timeframe.W1 ? T(2024, 1, 1) : 0;
        return [.. Enumerable.Range(-300, 601).Select(i => origin + (i * step))];
    }

    private static readonly Dictionary<Timeframe, long[]> Grids = Timeframe.All.ToDictionary(t => t, BuildGrid);

    private static Arbitrary<GridCase> GridCases { get; } = Arb.From(
        from tf in Gen.Elements(Timeframe.All.ToArray())
        let grid = Grids[tf]
        from i in Gen.Choose(1, grid.Length - 3)
        from j in Gen.Choose(1, grid.Length - 3)
        from di in Gen.Frequency((1, Gen.Constant(0.0)), (3, Gen.Choose(0, 1000).Select(x => x / 1000.0)))
        from dj in Gen.Frequency((1, Gen.Constant(0.0)), (3, Gen.Choose(0, 1000).Select(x => x / 1000.0)))
        let a = grid[i] + (long)((grid[i + 1] - grid[i]) * di)
        let b = grid[j] + (long)((grid[j + 1] - grid[j]) * dj)
        select new GridCase(tf, grid, Math.Min(a, b), Math.Max(a, b)));

    [Fact]
    public void CountBars_EqualsBruteForceOverGrid()
        => Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(1000),
            Prop.ForAll(GridCases, c =>
            {
                var expected = c.Grid.LongCount(t => t >= c.FromMs && t < c.ToMs);
                Assert.Equal(expected, c.Timeframe.CountBars(c.FromMs, c.ToMs));
                Assert.Equal(expected, c.Timeframe.CountBars(new TimeRange(c.FromMs, c.ToMs)));
            }));

    /// <summary>The last grid point at or before <paramref name="t"/> (the grid is sorted).</summary>
    private static long FloorInGrid(long[] grid, long t)
    {
        var i = Array.BinarySearch(grid, t);
        return i >= 0 ? grid[i] : grid[~i - 1];
    }

    /// <summary>The first grid point at or after <paramref name="t"/>.</summary>
    private static long CeilingInGrid(long[] grid, long t)
    {
        var i = Array.BinarySearch(grid, t);
        return i >= 0 ? grid[i] : grid[~i];
    }

    [Fact]
    public void FloorCeilingAlign_MatchBruteForceGrid()
        => Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(1000),
            Prop.ForAll(GridCases, c =>
            {
                var tf = c.Timeframe;
                foreach (var t in new[] { c.FromMs, c.ToMs, c.FromMs - 1, c.ToMs + 1 })
                {
                    var floor = FloorInGrid(c.Grid, t);
                    var ceiling = CeilingInGrid(c.Grid, t);
                    Assert.Equal(floor, tf.Floor(t));
                    Assert.Equal(ceiling, tf.Ceiling(t));
                    Assert.Equal(floor == t, tf.IsAligned(t));
                    var next = c.Grid[Array.BinarySearch(c.Grid, floor) + 1];
                    Assert.Equal(next, tf.Add(floor, 1));
                    Assert.Equal(next, tf.CloseOf(floor));
                    Assert.Equal(floor, tf.Add(next, -1));
                }

                var range = new TimeRange(c.FromMs, c.ToMs);
                var outward = tf.AlignOutward(range);
                Assert.Equal(FloorInGrid(c.Grid, c.FromMs), outward.FromMs);
                Assert.Equal(CeilingInGrid(c.Grid, c.ToMs), outward.ToMs);
                var inward = tf.AlignInward(range);
                var inside = c.Grid.Where(g => g >= c.FromMs && g <= c.ToMs).ToArray();
                if (inside.Length >= 2)
                {
                    Assert.Equal(new TimeRange(inside[0], inside[^1]), inward);
                }
                else
                {
                    Assert.True(inward.IsEmpty, $"AlignInward of {range} should be empty, was {inward}");
                }
            }));
}
