using CartGraph.Infrastructure.EventStore;
using LanguageExt;

namespace CartGraph.Infrastructure.CommandHandling;

/// <summary>A command waiting in its stream's queue, and where its own outcome is delivered.</summary>
/// <remarks>
/// NOTE: idempotency keys (issue 14) belong here and in <c>CommandHandler.DecideBatch</c>: a command carrying a key the
/// stream has already answered takes the recorded outcome there instead of a decision, inside the same batch.
/// </remarks>
internal sealed class PendingCommand<TCommand, TEvent, TState, TError>(
    TCommand command, Option<long> expectedVersion, MessageContext? context, CancellationToken cancellation)
{
    public TCommand Command => command;

    /// <summary>When given, the command is decided on that version of the stream or not at all.</summary>
    public Option<long> ExpectedVersion => expectedVersion;

    /// <summary>Recorded in the metadata of the command's own events.</summary>
    public MessageContext? Context => context;

    /// <summary>Its sender gave up (the operation timed out, the client went away): it is dropped before any append.</summary>
    public bool Abandoned => cancellation.IsCancellationRequested;

    private readonly TaskCompletionSource<Either<CommandRejection<TError>, CommandResult<TEvent, TState>>> outcome =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<Either<CommandRejection<TError>, CommandResult<TEvent, TState>>> Outcome => outcome.Task;

    public void Answer(Either<CommandRejection<TError>, CommandResult<TEvent, TState>> answer) => outcome.TrySetResult(answer);

    public void Fail(Exception exception) => outcome.TrySetException(exception);

    public void Drop() => outcome.TrySetCanceled(cancellation);
}
