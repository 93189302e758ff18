using CartGraph.Infrastructure.EventStore;

namespace CartGraph.Infrastructure.Projections;

/// <summary>One stream's share of a batch: the messages right after its bookmark, in stream position order, no hole.</summary>
internal sealed record StreamRun(string StreamId, IReadOnlyList<RecordedMessage> Messages);

/// <summary>A stream that cannot go on: the message it stops at, and why.</summary>
internal sealed record StreamBlocked(RecordedMessage Message, string Reason);

/// <summary>
/// What a batch applies, stream by stream. Messages come in commit order, which is not always stream order: an append
/// whose transaction took its id early commits behind a newer append to the same stream, so position n + 1 can come
/// before n, or without it (n still waits for the snapshot's xmin). So each stream's messages after its bookmark are put
/// in position order, and when they do not follow on from the bookmark the stream is read from the store, from the
/// bookmark up to the highest position the batch holds (<see cref="EventStore.EventStore.ReadStreamRangesAsync"/>):
/// the lower positions, when the cursor reaches them, are then redeliveries. Archived streams are left out, and streams
/// parked behind a message wait: their messages are replayed from the store when they are retried.
/// </summary>
internal sealed class BatchPlan
{
    private readonly List<StreamRun> runs = [];
    private readonly List<StreamRange> gaps = [];
    private readonly IReadOnlyDictionary<string, long> bookmarks;

    private BatchPlan(IReadOnlyDictionary<string, long> bookmarks) => this.bookmarks = bookmarks;

    /// <summary>Streams whose messages follow on from their bookmark.</summary>
    public IReadOnlyList<StreamRun> Runs => runs;

    /// <summary>Streams to read from the store before they can be applied (see <see cref="Complete"/>).</summary>
    public IReadOnlyList<StreamRange> Gaps => gaps;

    /// <summary>Messages of streams parked behind a message: they wait.</summary>
    public int Waiting { get; private set; }

    public static BatchPlan Of(IReadOnlyList<RecordedMessage> messages, BatchChecks checks)
    {
        var plan = new BatchPlan(checks.Bookmarks);
        var byStream = new Dictionary<string, List<RecordedMessage>>();
        foreach (var message in messages)
        {
            if (!byStream.TryGetValue(message.StreamId, out var ofStream)) byStream[message.StreamId] = ofStream = [];
            ofStream.Add(message);
        }
        foreach (var (streamId, ofStream) in byStream)
        {
            if (checks.Archived.Contains(streamId)) continue;
            if (checks.Parked.ContainsKey(streamId))
            {
                plan.Waiting += ofStream.Count;
                continue;
            }
            var bookmark = checks.Bookmarks.GetValueOrDefault(streamId);
            var fresh = ofStream.FindAll(m => m.StreamPosition > bookmark);
            if (fresh.Count == 0) continue;
            fresh.Sort((a, b) => a.StreamPosition.CompareTo(b.StreamPosition));
            if (FollowsOn(fresh, bookmark)) plan.runs.Add(new StreamRun(streamId, fresh));
            else plan.gaps.Add(new StreamRange(streamId, bookmark + 1, fresh[^1].StreamPosition));
        }
        return plan;
    }

    /// <summary>The runs of the streams read from the store for <see cref="Gaps"/> (see <see cref="FollowOn"/>).</summary>
    public (IReadOnlyList<StreamRun> Runs, IReadOnlyList<StreamBlocked> Blocked) Complete(IReadOnlyList<RecordedMessage> read)
    {
        var completed = new List<StreamRun>();
        var blocked = new List<StreamBlocked>();
        var byStream = read.GroupBy(m => m.StreamId).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var gap in gaps)
        {
            var (run, hole) = FollowOn(gap.StreamId, bookmarks.GetValueOrDefault(gap.StreamId), byStream.GetValueOrDefault(gap.StreamId) ?? []);
            if (run is not null) completed.Add(run);
            if (hole is not null) blocked.Add(hole);
        }
        return (completed, blocked);
    }

    /// <summary>
    /// A stream's messages read from the store after its bookmark, as a run, up to any hole in the positions (which the
    /// appends' row locks rule out): a hole stops the stream at the message after it rather than being skipped.
    /// </summary>
    public static (StreamRun? Run, StreamBlocked? Blocked) FollowOn(string streamId, long bookmark, IReadOnlyList<RecordedMessage> read)
    {
        var ordered = read.OrderBy(m => m.StreamPosition).ToList();
        var run = ordered.TakeWhile((m, i) => m.StreamPosition == bookmark + 1 + i).ToList();
        var after = ordered.Skip(run.Count).FirstOrDefault();
        return (run.Count > 0 ? new StreamRun(streamId, run) : null,
            after is null ? null : new StreamBlocked(after, $"stream position {bookmark + 1 + run.Count} is missing from the store"));
    }

    private static bool FollowsOn(List<RecordedMessage> fresh, long bookmark)
    {
        for (var i = 0; i < fresh.Count; i++)
            if (fresh[i].StreamPosition != bookmark + 1 + i) return false;
        return true;
    }
}
