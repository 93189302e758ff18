namespace CartGraph.Infrastructure.EventStore;

/// <summary>
/// A consumer's place in a tenant's messages, in commit order: (transaction id, global position).
/// NOTE: a global position alone is not a safe cursor: positions are taken before commit, so a message
/// with a lower position can become visible after a higher one and would be skipped.
/// </summary>
public sealed record ConsumerCursor(ulong TransactionId, long GlobalPosition)
{
    public static readonly ConsumerCursor Start = new(0, 0);

    public override string ToString() => $"{TransactionId}/{GlobalPosition}";
}
