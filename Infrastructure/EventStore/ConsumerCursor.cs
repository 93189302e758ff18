namespace CartGraph.Infrastructure.EventStore;

/// <summary>
/// A consumer's place in a tenant's messages, in commit order: (transaction id, global position).
/// NOTE: a global position alone is not a safe cursor: positions are taken before commit, so a message
/// with a lower position can become visible after a higher one and would be skipped.
/// </summary>
public sealed record ConsumerCursor(ulong TransactionId, long GlobalPosition) : IComparable<ConsumerCursor>
{
    public static readonly ConsumerCursor Start = new(0, 0);

    /// <summary>Commit order: by transaction id, then by global position within a transaction.</summary>
    public int CompareTo(ConsumerCursor? other) =>
        other is null ? 1
        : TransactionId != other.TransactionId ? TransactionId.CompareTo(other.TransactionId)
        : GlobalPosition.CompareTo(other.GlobalPosition);

    public override string ToString() => $"{TransactionId}/{GlobalPosition}";
}
