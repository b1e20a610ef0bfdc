using System.Runtime.InteropServices;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Storage.Sqlite.Segments;
using Microsoft.Data.Sqlite;

namespace Gapless.Storage.Sqlite.Internal;

// CommitWriter, in part: how a commit's bars are grouped by bucket and encoded (on helper threads for large commits).
internal sealed partial class CommitWriter
{
    private sealed class BucketGroup(long bucketStart, int offset, int count)
    {
        public long BucketStart { get; } = bucketStart;

        public int Offset { get; } = offset;

        public int Count { get; } = count;

        public byte[]? Encoded { get; set; }
    }

    /// <summary>
    /// Encodes a commit's bucket groups on the committing thread and, for a large commit, on helpers, each group
    /// claimed by exactly one of them, so a large commit's encoding runs on all cores beside its first statements. The
    /// committing thread never waits for a helper that has not started (a busy thread pool): once it closes the
    /// encoder, a late helper returns without touching the bars.
    /// </summary>
    private sealed class GroupEncoder(IReadOnlyList<Bar> input, BucketPolicy buckets, SegmentCompression compression)
    {
        private readonly Lock _gate = new();
        private BarSource? _bars;
        private List<BucketGroup>? _groups;
        private int _next = -1;
        private bool _closed;
        private int _active;
        private TaskCompletionSource? _drained;

        /// <summary>
        /// Queues helpers for a large commit on a machine of several cores; false when there are none. The committing
        /// thread joins in with <see cref="RunAsync"/>.
        /// </summary>
        public bool Start()
        {
            var helpers = input.Count < ParallelEncodeThreshold ? 0 : Environment.ProcessorCount - 1;
            for (var i = 0; i < helpers; i++)
            {
                _ = Task.Run(Help);
            }

            return helpers > 0;
        }

        /// <summary>The bars, sorted and distinct, and their bucket groups; computed once, by whichever thread asks first.</summary>
        public (BarSource Bars, List<BucketGroup> Groups) Prepare()
        {
            lock (_gate)
            {
                if (_groups is null)
                {
                    _bars = BarSource.SortedDistinct(input);
                    _groups = Group(_bars, buckets);
                }

                return (_bars!, _groups);
            }
        }

        /// <summary>Encodes unclaimed groups until none is left, then waits for the helpers still encoding theirs.</summary>
        public async Task RunAsync()
        {
            Run();
            await CloseAsync();
        }

        /// <summary>Stops the helpers and waits for those running, so the caller's bars are not read after the commit returns.</summary>
        public async Task CloseAsync()
        {
            Task drained;
            lock (_gate)
            {
                _closed = true;
                if (_active == 0)
                {
                    return;
                }

                _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                drained = _drained.Task;
            }

            await drained;
        }

        private void Help()
        {
            lock (_gate)
            {
                if (_closed)
                {
                    return;
                }

                _active++;
            }

            // An error leaves the group unencoded; the committing thread encodes it again and meets the error itself.
            try
            {
                Run();
            }
            finally
            {
                lock (_gate)
                {
                    if (--_active == 0 && _closed)
                    {
                        _drained?.TrySetResult();
                    }
                }
            }
        }

        private void Run()
        {
            var (bars, groups) = Prepare();
            while (!Volatile.Read(ref _closed))
            {
                var i = Interlocked.Increment(ref _next);
                if (i >= groups.Count)
                {
                    return;
                }

                var g = groups[i];
                g.Encoded = SegmentEncoder.Encode(bars.Span.Slice(g.Offset, g.Count), compression);
            }
        }
    }
}
