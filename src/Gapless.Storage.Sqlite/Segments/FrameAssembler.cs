using System.Runtime.CompilerServices;
using Gapless.Core.Model;

namespace Gapless.Storage.Sqlite.Segments;

/// <summary>
/// Turns decoded segments into one <see cref="BarFrame"/>: clips to the asked range, brings each column to one
/// scale (the largest display scale among the segments), and hands the arrays over without copying.
/// </summary>
internal static class FrameAssembler
{
    /// <summary>Decodes <paramref name="blobs"/> (ascending, disjoint buckets) and builds the frame of bars in <paramref name="range"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static BarFrame Build(IReadOnlyList<(byte[] Blob, int Count)> blobs, TimeRange range, bool parallel)
    {
        var total = 0;
        var parts = new SegmentPart[blobs.Count];
        for (var i = 0; i < blobs.Count; i++)
        {
            parts[i] = new SegmentPart(total, blobs[i].Count);
            total = checked(total + blobs[i].Count);
        }

        if (total == 0)
        {
            return BarFrame.Empty;
        }

        var target = new DecodedColumns(total);
        if (parallel && parts.Length > 1)
        {
            Parallel.For(0, parts.Length, i => SegmentDecoder.Decode(blobs[i].Blob, target, parts[i]));
        }
        else
        {
            for (var i = 0; i < parts.Length; i++)
            {
                SegmentDecoder.Decode(blobs[i].Blob, target, parts[i]);
            }
        }

        var n = Clip(target, ref parts, total, range);
        if (n == 0)
        {
            return BarFrame.Empty;
        }

        return new BarFrame(
            n,
            target.Times,
            BuildColumn(target, parts, SegmentFormat.Open, n)!,
            BuildColumn(target, parts, SegmentFormat.High, n)!,
            BuildColumn(target, parts, SegmentFormat.Low, n)!,
            BuildColumn(target, parts, SegmentFormat.Close, n)!,
            BuildColumn(target, parts, SegmentFormat.Volume, n)!,
            BuildColumn(target, parts, SegmentFormat.QuoteVolume, n),
            BuildColumn(target, parts, SegmentFormat.Trades, n),
            BuildColumn(target, parts, SegmentFormat.Vwap, n),
            CutShort(parts, range));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Clip(DecodedColumns target, ref SegmentPart[] parts, int total, TimeRange range)
    {
        var times = target.Times.AsSpan(0, total);
        var lo = LowerBound(times, range.FromMs);
        var hi = LowerBound(times, range.ToMs);
        if (hi < lo)
        {
            hi = lo;
        }

        if (lo == 0 && hi == total)
        {
            return total;
        }

        var n = hi - lo;
        if (lo > 0 && n > 0)
        {
            Array.Copy(target.Times, lo, target.Times, 0, n);
            for (var c = 0; c < SegmentFormat.ColumnCount; c++)
            {
                if (target.Peek(c) is { } column)
                {
                    Array.Copy(column, lo, column, 0, n);
                }
            }
        }

        var kept = new List<SegmentPart>(parts.Length);
        foreach (var part in parts)
        {
            var start = Math.Max(part.Offset, lo);
            var end = Math.Min(part.Offset + part.Count, hi);
            if (end > start)
            {
                part.LocalStart = start - part.Offset;
                part.Offset = start - lo;
                part.Count = end - start;
                kept.Add(part);
            }
        }

        parts = [.. kept];
        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static DecimalColumn? BuildColumn(DecodedColumns target, SegmentPart[] parts, int column, int n)
    {
        var anyValues = false;
        var needsPresence = false;
        var slow = false;
        var scale = 0;
        foreach (var part in parts)
        {
            ref readonly var pc = ref part.Columns[column];
            anyValues |= pc.State != PartColumn.Absent;
            needsPresence |= pc.State == PartColumn.Absent || pc.Present is not null;
            slow |= pc.State == PartColumn.Decimal;
            if (pc.State == PartColumn.Scaled)
            {
                scale = Math.Max(scale, pc.Scale);
            }
        }

        if (!anyValues)
        {
            return null;
        }

        var values = target.Peek(column);
        if (!slow && values is not null && TryUnifyScale(values, parts, column, scale))
        {
            return DecimalColumn.FromMantissas(values, scale, n, needsPresence ? Presence(parts, column, n) : null);
        }

        return BuildSlow(values, parts, column, n);
    }

    /// <summary>Multiplies segments stored at a smaller scale up to <paramref name="scale"/>; false when one would overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryUnifyScale(long[] values, SegmentPart[] parts, int column, int scale)
    {
        foreach (var part in parts)
        {
            ref readonly var pc = ref part.Columns[column];
            if (pc.State != PartColumn.Scaled || pc.Scale == scale)
            {
                continue;
            }

            var limit = long.MaxValue / DecimalScaling.Pow10(scale - pc.Scale);
            foreach (var v in values.AsSpan(part.Offset, part.Count))
            {
                if (v > limit || v < -limit)
                {
                    return false;
                }
            }
        }

        foreach (var part in parts)
        {
            ref var pc = ref part.Columns[column];
            if (pc.State != PartColumn.Scaled || pc.Scale == scale)
            {
                continue;
            }

            var factor = DecimalScaling.Pow10(scale - pc.Scale);
            var span = values.AsSpan(part.Offset, part.Count);
            for (var i = 0; i < span.Length; i++)
            {
                span[i] *= factor;
            }

            pc.Scale = scale;
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool[] Presence(SegmentPart[] parts, int column, int n)
    {
        var present = new bool[n];
        foreach (var part in parts)
        {
            ref readonly var pc = ref part.Columns[column];
            if (pc.State == PartColumn.Absent)
            {
                continue;
            }

            if (pc.Present is null)
            {
                present.AsSpan(part.Offset, part.Count).Fill(true);
            }
            else
            {
                pc.Present.AsSpan(part.LocalStart, part.Count).CopyTo(present.AsSpan(part.Offset));
            }
        }

        return present;
    }

    private static DecimalColumn BuildSlow(long[]? values, SegmentPart[] parts, int column, int n)
    {
        var builder = new DecimalColumnBuilder(n);
        foreach (var part in parts)
        {
            var pc = part.Columns[column];
            for (var j = 0; j < part.Count; j++)
            {
                var local = part.LocalStart + j;
                if (pc.State == PartColumn.Absent || (pc.Present is not null && !pc.Present[local]))
                {
                    builder.AddMissing();
                }
                else if (pc.State == PartColumn.Decimal)
                {
                    builder.Add(pc.Decimals![local]);
                }
                else
                {
                    builder.Add(DecimalScaling.FromMantissa(values![part.Offset + j], pc.Scale));
                }
            }
        }

        return builder.Build();
    }

    private static Dictionary<long, long>? CutShort(SegmentPart[] parts, TimeRange range)
    {
        Dictionary<long, long>? result = null;
        foreach (var part in parts)
        {
            if (part.CutShort is null)
            {
                continue;
            }

            foreach (var (open, cut) in part.CutShort)
            {
                if (range.Contains(open))
                {
                    (result ??= [])[open] = cut;
                }
            }
        }

        return result;
    }

    private static int LowerBound(ReadOnlySpan<long> times, long value)
    {
        int lo = 0, hi = times.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (times[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
