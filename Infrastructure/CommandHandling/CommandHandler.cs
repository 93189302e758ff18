using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using LanguageExt;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static LanguageExt.Prelude;

namespace CartGraph.Infrastructure.CommandHandling;

/// <summary>
/// The one generic shell: load the stream's state (cached, or folded from the stream), decide, append at exactly the
/// version loaded. On a conflict it loads again from the stream and decides again, a bounded number of times with jitter.
/// It knows no aggregate; each one plugs in as an <see cref="Aggregate{TCommand,TEvent,TState,TError}"/>.
/// </summary>
public sealed class CommandHandler(EventStore.EventStore store, AggregateCache? cache = null, ILogger<CommandHandler>? logger = null)
{
    public const int MaxAttempts = 10;

    private readonly ILogger logger = logger ?? NullLogger<CommandHandler>.Instance;

    /// <param name="expectedVersion">
    /// The version the caller based its command on. When given, the command is decided on that version or
    /// not at all: a stream that moved is a conflict, never retried.
    /// </param>
    public async Task<Either<CommandRejection<TError>, CommandResult<TEvent, TState>>> HandleAsync<TCommand, TEvent, TState, TError>(
        Aggregate<TCommand, TEvent, TState, TError> aggregate,
        TenantId tenant,
        string streamId,
        TCommand command,
        Option<long> expectedVersion = default,
        MessageContext? context = null,
        CancellationToken cancellationToken = default)
    {
        var stream = new TargetStream<TCommand, TEvent, TState, TError>(aggregate, tenant, streamId);
        if (cache is not null && cache.TryGet(aggregate.StreamType, tenant, streamId, out TState cachedState, out var cachedVersion))
        {
            var fromCache = await DecideAndAppendAsync(stream, command, cachedState, cachedVersion, expectedVersion, context, cancellationToken);
            // Only an append proves a cached state current (or the store refusing the stream outright). A rejection, a
            // decision to record nothing, a version the caller did not expect and a conflict are decided on the stream.
            if (fromCache.Match(Right: result => !result.Events.IsEmpty, Left: rejection => rejection is CommandRejection<TError>.StoreRefused))
                return fromCache;
        }

        for (var attempt = 1; ; attempt++)
        {
            var outcome = await (await LoadAsync(stream, cancellationToken)).MatchAsync(
                loaded => DecideAndAppendAsync(stream, command, loaded.State, loaded.Version, expectedVersion, context, cancellationToken),
                refused => Rejection<TEvent, TState, TError>(new CommandRejection<TError>.StoreRefused(refused)));
            var raced = outcome.Match(Right: _ => false, Left: rejection => rejection is CommandRejection<TError>.Conflict);
            if (!raced || expectedVersion.IsSome || attempt == MaxAttempts) return outcome;
            logger.LogDebug("Conflict on {Stream} (attempt {Attempt}); retrying", streamId, attempt);
            await Task.Delay(Backoff(attempt), cancellationToken);
        }
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

    private Task<Either<CommandRejection<TError>, CommandResult<TEvent, TState>>> DecideAndAppendAsync<TCommand, TEvent, TState, TError>(
        TargetStream<TCommand, TEvent, TState, TError> stream,
        TCommand command,
        TState state,
        long version,
        Option<long> expectedVersion,
        MessageContext? context,
        CancellationToken cancellationToken) =>
        Unexpected<TError>(stream.Id, expectedVersion, version).Match(
            Some: conflict => Task.FromResult(Rejection<TEvent, TState, TError>(conflict)),
            None: () => stream.Aggregate.Decider.Apply(command, state).MatchAsync(
                decided => AppendAsync(stream, decided.Events, decided.State, version, context, cancellationToken),
                error => Rejection<TEvent, TState, TError>(new CommandRejection<TError>.Rejected(error))));

    private async Task<Either<CommandRejection<TError>, CommandResult<TEvent, TState>>> AppendAsync<TCommand, TEvent, TState, TError>(
        TargetStream<TCommand, TEvent, TState, TError> stream,
        Seq<TEvent> events,
        TState state,
        long version,
        MessageContext? context,
        CancellationToken cancellationToken)
    {
        var (aggregate, tenant, streamId) = (stream.Aggregate, stream.Tenant, stream.Id);
        if (events.IsEmpty)
        {
            cache?.Set(aggregate.StreamType, tenant, streamId, state, version, aggregate.Footprint(state));
            return new CommandResult<TEvent, TState>(state, events, version, []);
        }

        var messages = events.Map(e => new NewMessage(aggregate.Codec.TypeOf(e), aggregate.Codec.Serialize(e), SchemaVersion: aggregate.Codec.SchemaVersion)).ToArray();
        var appended = await store.AppendAsync(tenant, streamId, aggregate.StreamType, messages, ExpectedVersion.Exactly(version), context, cancellationToken);
        return appended.Match(
            Right: result =>
            {
                cache?.Set(aggregate.StreamType, tenant, streamId, state, result.NextStreamPosition, aggregate.Footprint(state));
                return new CommandResult<TEvent, TState>(state, events, result.NextStreamPosition, result.GlobalPositions);
            },
            Left: refused =>
            {
                cache?.Remove(aggregate.StreamType, tenant, streamId);
                return Rejection<TEvent, TState, TError>(refused is StreamError.WrongExpectedVersion conflict
                    ? new CommandRejection<TError>.Conflict(conflict)
                    : new CommandRejection<TError>.StoreRefused(refused));
            });
    }

    /// <summary>A conflict when the caller expects another version than the stream is at.</summary>
    private static Option<CommandRejection<TError>> Unexpected<TError>(string streamId, Option<long> expectedVersion, long version) =>
        expectedVersion.Filter(expected => expected != version).Map(CommandRejection<TError> (expected) =>
            new CommandRejection<TError>.Conflict(new StreamError.WrongExpectedVersion(streamId, ExpectedVersion.Exactly(expected), version)));

    private static Either<CommandRejection<TError>, CommandResult<TEvent, TState>> Rejection<TEvent, TState, TError>(
        CommandRejection<TError> rejection) => Left(rejection);

    /// <summary>Grows with each attempt; the jitter keeps racing writers from colliding again in step.</summary>
    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Random.Shared.Next(1, 4 * Math.Min(attempt, 8) + 1));

    /// <summary>The stream a command is for, and the aggregate it holds.</summary>
    private readonly record struct TargetStream<TCommand, TEvent, TState, TError>(
        Aggregate<TCommand, TEvent, TState, TError> Aggregate, TenantId Tenant, string Id);
}
