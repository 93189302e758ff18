namespace CartGraph.Infrastructure.EventStore;

/// <summary>
/// Which transactions had committed at one moment (a PostgreSQL snapshot, <c>xmin:xmax:xip,...</c>): what a consumer
/// that starts "from now" treats as history. Read it with <see cref="EventStore.CommitSnapshotAsync"/>.
/// </summary>
/// <remarks>
/// NOTE: a cursor at the horizon alone would replay what committed after an older transaction still running (anywhere
/// in the cluster) began: a consumer starts at <see cref="Start"/> and skips the messages that <see cref="Committed"/>.
/// </remarks>
public sealed record CommitSnapshot(ulong Xmin, ulong Xmax, IReadOnlySet<ulong> Running)
{
    /// <summary>Nothing committed: every message is news.</summary>
    public static readonly CommitSnapshot None = new(0, 0, new HashSet<ulong>());

    /// <summary>Where a consumer reading from this moment starts: the oldest transaction still running then.</summary>
    public ConsumerCursor Start => new(Xmin, 0);

    /// <summary>Whether the transaction had committed when the snapshot was taken.</summary>
    public bool Committed(ulong transactionId) =>
        transactionId < Xmin || (transactionId < Xmax && !Running.Contains(transactionId));

    /// <summary>PostgreSQL's text form of a snapshot, <c>xmin:xmax:xip,...</c>.</summary>
    public static CommitSnapshot Parse(string text)
    {
        var parts = text.Split(':');
        return new CommitSnapshot(ulong.Parse(parts[0]), ulong.Parse(parts[1]),
            parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ulong.Parse).ToHashSet());
    }
}
