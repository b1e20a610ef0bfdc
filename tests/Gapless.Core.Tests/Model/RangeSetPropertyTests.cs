using FsCheck;
using FsCheck.Fluent;
using Gapless.Core.Model;
using static Gapless.Core.Tests.Model.RangeSetModel;

namespace Gapless.Core.Tests.Model;

/// <summary>
/// RangeSet checked against a bool-per-instant model on random sets of small ranges. Each case sits at one of a
/// few bases (0, far before the epoch, a 2024 timestamp) so negative and realistic instants are exercised too.
/// </summary>
public sealed class RangeSetPropertyTests
{
    private static readonly Config Runs500 = Config.QuickThrowOnFailure.WithMaxTest(500);

    private static readonly long[] Bases = [0, -1_000_000_000_000, 1_704_067_200_000];

    /// <summary>Three raw range lists (any order, overlapping, empty or adjacent) over one base.</summary>
    public sealed record Case(long Base, TimeRange[] A, TimeRange[] B, TimeRange[] C)
    {
        public RangeSet SetA => RangeSet.Of(A);

        public RangeSet SetB => RangeSet.Of(B);

        public RangeSet SetC => RangeSet.Of(C);

        public bool[] MaskA => Mask(A, Base);

        public bool[] MaskB => Mask(B, Base);

        public bool[] MaskC => Mask(C, Base);

        public RangeSet Universe => RangeSet.Of(new TimeRange(Base, Base + RangeSetModel.Universe));

        public override string ToString()
            => $"base {Base}: A={Describe(A, Base)} B={Describe(B, Base)} C={Describe(C, Base)}";
    }

    private static Gen<TimeRange[]> RangesAt(long baseMs)
    {
        // Short ranges make many adjacent and touching pairs; long ones make nesting and wide overlaps.
        var length = Gen.Frequency((3, Gen.Choose(0, 6)), (2, Gen.Choose(0, 40)), (1, Gen.Choose(0, RangeSetModel.Universe)));
        var range =
            from start in Gen.Choose(0, RangeSetModel.Universe)
            from len in length
            select new TimeRange(baseMs + start, baseMs + Math.Min(RangeSetModel.Universe, start + len));
        return from n in Gen.Choose(0, 8)
               from ranges in Gen.ArrayOf(range, n)
               select ranges;
    }

    private static Arbitrary<Case> Cases { get; } = Arb.From(
        from b in Gen.Elements(Bases)
        from a in RangesAt(b)
        from bb in RangesAt(b)
        from c in RangesAt(b)
        select new Case(b, a, bb, c));

    private static void Check(Action<Case> property) => FsCheck.Check.One(Runs500, Prop.ForAll(Cases, property));

    [Fact]
    public void Of_AnyRanges_IsCanonicalFormOfTheirInstants()
        => Check(c => AssertHolds(c.MaskA, c.SetA, c.Base));

    [Fact]
    public void Of_ShuffledOrDuplicatedInput_GivesEqualSet()
        => Check(c =>
        {
            var reversed = RangeSet.Of(c.A.Reverse());
            var doubled = RangeSet.Of(c.A.Concat(c.A));
            var viaSingles = c.A.Aggregate(RangeSet.Empty, (s, r) => s.Union(r));
            Assert.Equal(c.SetA, reversed);
            Assert.Equal(c.SetA, doubled);
            Assert.Equal(c.SetA, viaSingles);
            Assert.Equal(c.SetA.GetHashCode(), reversed.GetHashCode());
        });

    [Fact]
    public void Union_MatchesModel()
        => Check(c => AssertHolds(Zip(c.MaskA, c.MaskB, (x, y) => x || y), c.SetA.Union(c.SetB), c.Base));

    [Fact]
    public void Subtract_MatchesModel()
        => Check(c => AssertHolds(Zip(c.MaskA, c.MaskB, (x, y) => x && !y), c.SetA.Subtract(c.SetB), c.Base));

    [Fact]
    public void Intersect_MatchesModel()
        => Check(c => AssertHolds(Zip(c.MaskA, c.MaskB, (x, y) => x && y), c.SetA.Intersect(c.SetB), c.Base));

    [Fact]
    public void SingleRangeOverloads_MatchSetOverloads()
        => Check(c =>
        {
            foreach (var r in c.B)
            {
                var one = RangeSet.Of(r);
                Assert.Equal(c.SetA.Union(one), c.SetA.Union(r));
                Assert.Equal(c.SetA.Subtract(one), c.SetA.Subtract(r));
                Assert.Equal(c.SetA.Intersect(one), c.SetA.Intersect(r));
                AssertHolds(Mask([r], c.Base), one, c.Base);
            }
        });

    [Fact]
    public void ContainsInstant_MatchesModel()
        => Check(c =>
        {
            var set = c.SetA;
            var mask = c.MaskA;
            for (var t = -2; t < RangeSetModel.Universe + 2; t++)
            {
                var expected = t >= 0 && t < RangeSetModel.Universe && mask[t];
                if (expected != set.Contains(c.Base + t))
                {
                    Assert.Fail($"Contains({t}) on {set} should be {expected}");
                }
            }
        });

    [Fact]
    public void ContainsRange_MatchesModel()
        => Check(c =>
        {
            var set = c.SetA;
            var mask = c.MaskA;
            // Every range of B, plus every range of A itself and its one-instant widenings.
            var probes = c.B.Concat(c.A).Concat(set.SelectMany(r => new[]
            {
                r,
                new TimeRange(Math.Max(c.Base, r.FromMs - 1), r.ToMs),
                new TimeRange(r.FromMs, Math.Min(c.Base + RangeSetModel.Universe, r.ToMs + 1)),
            }));
            foreach (var probe in probes)
            {
                var expected = true;
                for (var t = probe.FromMs; t < probe.ToMs; t++)
                {
                    expected &= t - c.Base < RangeSetModel.Universe && mask[t - c.Base];
                }

                if (expected != set.Contains(probe))
                {
                    Assert.Fail($"Contains({probe}) on {set} should be {expected}");
                }
            }
        });

    [Fact]
    public void TotalLengthAndSpan_MatchModel()
        => Check(c =>
        {
            var mask = c.MaskA;
            Assert.Equal(mask.Count(x => x), c.SetA.TotalLengthMs);
            var first = Array.IndexOf(mask, true);
            if (first < 0)
            {
                Assert.True(c.SetA.IsEmpty);
                Assert.Null(c.SetA.Span);
            }
            else
            {
                var last = Array.LastIndexOf(mask, true);
                Assert.Equal(new TimeRange(c.Base + first, c.Base + last + 1), c.SetA.Span);
            }
        });

    [Fact]
    public void Equality_HoldsExactlyWhenInstantsAreEqual()
        => Check(c =>
        {
            var sameInstants = c.MaskA.AsSpan().SequenceEqual(c.MaskB);
            Assert.Equal(sameInstants, c.SetA.Equals(c.SetB));
            Assert.Equal(sameInstants, c.SetA.Equals((object)c.SetB));
            var rebuilt = RangeSet.Of(Runs(c.MaskA, c.Base));
            Assert.Equal(c.SetA, rebuilt);
            Assert.Equal(c.SetA.GetHashCode(), rebuilt.GetHashCode());
        });

    [Fact]
    public void SubtractAndIntersect_PartitionTheSet()
        => Check(c =>
        {
            var a = c.SetA;
            var b = c.SetB;
            var outside = a.Subtract(b);
            var inside = a.Intersect(b);
            Assert.Equal(a, outside.Union(inside));
            Assert.True(outside.Intersect(inside).IsEmpty);
            Assert.Equal(a.TotalLengthMs, outside.TotalLengthMs + inside.TotalLengthMs);
            Assert.True(outside.Intersect(b).IsEmpty);
        });

    [Fact]
    public void UnionAndIntersect_AreCommutativeAndAssociative()
        => Check(c =>
        {
            var (a, b, s) = (c.SetA, c.SetB, c.SetC);
            Assert.Equal(a.Union(b), b.Union(a));
            Assert.Equal(a.Intersect(b), b.Intersect(a));
            Assert.Equal(a.Union(b).Union(s), a.Union(b.Union(s)));
            Assert.Equal(a.Intersect(b).Intersect(s), a.Intersect(b.Intersect(s)));
        });

    [Fact]
    public void Operations_ObeyDistributionAndIdentityLaws()
        => Check(c =>
        {
            var (a, b, s) = (c.SetA, c.SetB, c.SetC);
            Assert.Equal(a.Intersect(b.Union(s)), a.Intersect(b).Union(a.Intersect(s)));
            Assert.Equal(a.Union(b.Intersect(s)), a.Union(b).Intersect(a.Union(s)));
            Assert.Equal(a.Subtract(b.Union(s)), a.Subtract(b).Subtract(s));
            Assert.Equal(a, a.Union(a));
            Assert.Equal(a, a.Intersect(a));
            Assert.True(a.Subtract(a).IsEmpty);
            Assert.Equal(a, a.Union(RangeSet.Empty));
            Assert.Equal(a, a.Subtract(RangeSet.Empty));
            Assert.True(a.Intersect(RangeSet.Empty).IsEmpty);
            Assert.True(RangeSet.Empty.Subtract(a).IsEmpty);
        });

    [Fact]
    public void DeMorgan_HoldsWithinUniverse()
        => Check(c =>
        {
            var u = c.Universe;
            var (a, b) = (c.SetA, c.SetB);
            Assert.Equal(u.Subtract(a.Union(b)), u.Subtract(a).Intersect(u.Subtract(b)));
            Assert.Equal(u.Subtract(a.Intersect(b)), u.Subtract(a).Union(u.Subtract(b)));
            Assert.Equal(a, u.Subtract(u.Subtract(a)));
            AssertHolds(c.MaskA.Select(x => !x).ToArray(), u.Subtract(a), c.Base);
        });

    [Fact]
    public void Results_AreNormalizedEvenWhenChained()
        => Check(c =>
        {
            var chained = c.SetA.Union(c.SetB).Subtract(c.SetC).Intersect(c.SetA.Union(c.SetC));
            var expected = Zip(Zip(Zip(c.MaskA, c.MaskB, (x, y) => x || y), c.MaskC, (x, y) => x && !y),
                Zip(c.MaskA, c.MaskC, (x, y) => x || y), (x, y) => x && y);
            AssertHolds(expected, chained, c.Base);
        });
}
