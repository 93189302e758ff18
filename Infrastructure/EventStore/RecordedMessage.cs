namespace CartGraph.Infrastructure.EventStore;

/// <summary>A message as the store holds it.</summary>
public sealed record RecordedMessage(
    string StreamId,
    long StreamPosition,
    long GlobalPosition,
    ulong TransactionId,
    string MessageType,
    string Data,
    string Metadata,
    string MessageId,
    string SchemaVersion,
    DateTimeOffset Created)
{
    /// <summary>Where a consumer stands after this message.</summary>
    public ConsumerCursor Cursor => new(TransactionId, GlobalPosition);
}
