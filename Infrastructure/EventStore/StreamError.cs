namespace CartGraph.Infrastructure.EventStore;

/// <summary>Why an append, an archive or a read of a stream's state changed nothing.</summary>
public abstract record StreamError
{
    private StreamError() { }

    public abstract string Message { get; }

    /// <summary>The stream was not where the append expected it; built from our own values, never from PostgreSQL's text.</summary>
    public sealed record WrongExpectedVersion(string StreamId, ExpectedVersion Expected, long Actual) : StreamError
    {
        public override string Message =>
            $"Stream '{StreamId}' was expected at {Expected} but is at position {Actual}.";
    }

    /// <summary>An archived stream keeps its history and takes no more messages.</summary>
    public sealed record StreamArchived(string StreamId) : StreamError
    {
        public override string Message => $"Stream '{StreamId}' is archived and takes no more messages.";
    }

    /// <summary>There is no such stream (archiving one needs it to exist).</summary>
    public sealed record StreamNotFound(string StreamId) : StreamError
    {
        public override string Message => $"Stream '{StreamId}' does not exist.";
    }

    /// <summary>The append itself is malformed: bad stream id, no messages, data that is not JSON...</summary>
    public sealed record InvalidAppend(string Reason) : StreamError
    {
        public override string Message => Reason;
    }

    /// <summary>
    /// A message of the stream is of the aggregate's type but cannot be read (malformed data, or a schema version this
    /// version does not know): the stream's state is unknown, so nothing can be decided on it.
    /// </summary>
    public sealed record UnreadableMessage(string StreamId, long Position, string MessageType, string Reason) : StreamError
    {
        public override string Message => $"Stream '{StreamId}' cannot be read: its message at position {Position} ({MessageType}): {Reason}";
    }
}
