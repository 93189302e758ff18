using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using LanguageExt;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static LanguageExt.Prelude;

namespace CartGraph.Infrastructure.CommandHandling;

/// <summary>
/// The one generic shell. Commands for a stream queue up in this process (<see cref="StreamQueues"/>); those waiting are
/// taken as a batch: the stream's state is loaded (cached, or folded from the stream), each command is decided in order
/// on the state the ones before it left (<see cref="BatchDecision"/>), and all their events are appended at once, at
/// exactly the version loaded. A conflict (another instance, another service wrote) loads again from the stream and
/// decides the batch again. It knows no aggregate; each one plugs in as an <see cref="Aggregate{TCommand,TEvent,TState,TError}"/>.
/// </summary>
public sealed partial class CommandHandler(EventStore.EventStore store, AggregateCache? cache = null, ILogger<CommandHandler>? logger = null)
{
    private readonly ILogger logger = logger ?? NullLogger<CommandHandler>.Instance;
    private readonly StreamQueues queues = new();

    /// <param name="expectedVersion">
    /// The version the caller based its command on. When given, the command is decided on that version or
    /// not at all: a stream that moved is a conflict, never retried. Without it the command is decided again until
    /// it is decided on the stream as it is; only <paramref name="cancellationToken"/> (the operation's timeout) ends the wait.
    /// </param>
    /// <param name="context">Recorded in the metadata of this command's own events, whatever batch they go in.</param>
    /// <param name="idempotency">
    /// When given, the first command with this key on the stream is decided and its events carry the key; any later one
    /// with it appends nothing and answers that first outcome (the state right after it), or, with another fingerprint,
    /// <see cref="CommandRejection{TError}.KeyReused"/>.
    /// </param>
    public Task<Either<CommandRejection<TError>, CommandResult<TEvent, TState>>> HandleAsync<TCommand, TEvent, TState, TError>(
        Aggregate<TCommand, TEvent, TState, TError> aggregate,
        TenantId tenant,
        string streamId,
        TCommand command,
        Option<long> expectedVersion = default,
        MessageContext? context = null,
        CancellationToken cancellationToken = default,
        Option<Idempotency> idempotency = default)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<Either<CommandRejection<TError>, CommandResult<TEvent, TState>>>(cancellationToken);
        var stream = new TargetStream<TCommand, TEvent, TState, TError>(aggregate, tenant, streamId);
        var pending = new PendingCommand<TCommand, TEvent, TState, TError>(command, expectedVersion, context, idempotency, cancellationToken);
        queues.Enqueue((aggregate.StreamType, tenant.Value, streamId), pending, batch => RunBatchAsync(stream, batch));
        return pending.Outcome.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// The stream's state and version as its events fold them now, read from the store (never the cache), at the version
    /// the caller expects when given: what an operation beside <c>Decide</c>, such as archiving, acts on.
    /// </summary>
    public async Task<Either<CommandRejection<TError>, (TState State, long Version)>> ReadAsync<TCommand, TEvent, TState, TError>(
        Aggregate<TCommand, TEvent, TState, TError> aggregate,
        TenantId tenant,
        string streamId,
        Option<long> expectedVersion = default,
        CancellationToken cancellationToken = default) =>
        (await LoadAsync(new TargetStream<TCommand, TEvent, TState, TError>(aggregate, tenant, streamId), cancellationToken)).Match(
            Right: loaded => Unexpected<TError>(streamId, expectedVersion, loaded.Version).Match(
                Some: conflict => Left<CommandRejection<TError>, (TState, long)>(conflict),
                None: () => Right<CommandRejection<TError>, (TState, long)>(loaded)),
            Left: refused => Left<CommandRejection<TError>, (TState, long)>(new CommandRejection<TError>.StoreRefused(refused)));

    private Task<Either<StreamError, (TState State, long Version)>> LoadAsync<TCommand, TEvent, TState, TError>(
        TargetStream<TCommand, TEvent, TState, TError> stream, CancellationToken cancellationToken) =>
        store.AggregateStreamAsync(stream.Tenant, stream.Id, stream.Aggregate.Decider, stream.Aggregate.Codec, cancellationToken);

    /// <summary>A conflict when the caller expects another version than the stream is at.</summary>
    private static Option<CommandRejection<TError>> Unexpected<TError>(string streamId, Option<long> expectedVersion, long version) =>
        expectedVersion.Filter(expected => expected != version).Map(expected => Conflict<TError>(streamId, expected, version));

    private static CommandRejection<TError> Conflict<TError>(string streamId, long expected, long actual) =>
        new CommandRejection<TError>.Conflict(new StreamError.WrongExpectedVersion(streamId, ExpectedVersion.Exactly(expected), actual));

    /// <summary>Grows with each attempt; the jitter keeps racing instances from colliding again in step.</summary>
    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Random.Shared.Next(1, 4 * Math.Min(attempt, 8) + 1));

    /// <summary>The stream a command is for, and the aggregate it holds.</summary>
    private readonly record struct TargetStream<TCommand, TEvent, TState, TError>(
        Aggregate<TCommand, TEvent, TState, TError> Aggregate, TenantId Tenant, string Id);
}
