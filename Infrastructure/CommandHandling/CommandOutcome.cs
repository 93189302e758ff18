using CartGraph.Infrastructure.EventStore;
using LanguageExt;

namespace CartGraph.Infrastructure.CommandHandling;

/// <summary>A handled command: the state it led to, the events it recorded and where they were written.</summary>
/// <param name="Version">The stream's position after the command (unchanged when it recorded nothing).</param>
public sealed record CommandResult<TEvent, TState>(
    TState State,
    Seq<TEvent> Events,
    long Version,
    IReadOnlyList<long> GlobalPositions);

/// <summary>Why a command changed nothing.</summary>
public abstract record CommandRejection<TError>
{
    private CommandRejection() { }

    /// <summary>The decider refused: a business rule.</summary>
    public sealed record Rejected(TError Error) : CommandRejection<TError>;

    /// <summary>The stream was not at the version the caller expected (only a caller that gave one sees this).</summary>
    public sealed record Conflict(StreamError.WrongExpectedVersion Error) : CommandRejection<TError>;

    /// <summary>The idempotency key was used on the stream by a command with another input fingerprint.</summary>
    public sealed record KeyReused(string Key) : CommandRejection<TError>;

    /// <summary>The store refused: an archived stream, a malformed stream id, or a stream whose events cannot be read.</summary>
    public sealed record StoreRefused(StreamError Error) : CommandRejection<TError>;
}
