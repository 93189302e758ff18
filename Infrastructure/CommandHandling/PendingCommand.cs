using CartGraph.Infrastructure.EventStore;
using LanguageExt;

namespace CartGraph.Infrastructure.CommandHandling;

/// <summary>A command waiting in its stream's queue, and where its own outcome is delivered.</summary>
/// <remarks>
/// NOTE: a command with an idempotency key the stream already holds takes the recorded outcome instead of a decision,
/// inside its batch (<c>CommandHandler.Keys</c>).
/// </remarks>
internal sealed class PendingCommand<TCommand, TEvent, TState, TError>(
    TCommand command, Option<long> expectedVersion, MessageContext? context, Option<Idempotency> idempotency, CancellationToken cancellation)
{
    /// <summary>When given, a repeat of the first command with its key answers that command's outcome.</summary>
    public Option<Idempotency> Idempotency => idempotency;

    /// <summary>Already answered (a repeat answered from the store): not decided again if its batch is.</summary>
    public bool Answered => outcome.Task.IsCompleted;

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
