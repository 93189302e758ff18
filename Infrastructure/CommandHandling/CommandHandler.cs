using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using LanguageExt;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static LanguageExt.Prelude;

namespace CartGraph.Infrastructure.CommandHandling;

/// <summary>
/// The one generic shell: read the stream (or take its cached state), fold it, decide, append at exactly the
/// version read. On a conflict it reads again and decides again, a bounded number of times with jitter.
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
        var trustCache = cache is not null;
        for (var attempt = 1; ; attempt++)
        {
            TState state = default!;
            var version = 0L;
            var cached = trustCache && cache!.TryGet(aggregate.StreamType, tenant, streamId, out state, out version);
            if (!cached)
            {
                var read = await store.AggregateStreamAsync(tenant, streamId, aggregate.Decider, aggregate.Codec, cancellationToken);
                if (read.Case is StreamError unreadable)
                    return Left<CommandRejection<TError>, CommandResult<TEvent, TState>>(new CommandRejection<TError>.StoreRefused(unreadable));
                (state, version) = ((TState, long))read.Case!;
            }
            trustCache = false;

            var decision = aggregate.Decider.Apply(command, state);
            // Only a successful append proves a cached state current. A mismatch, a rejection or a decision to record
            // nothing is answered from the stream itself, never from the cache.
            if (cached && ((expectedVersion.Case is long wanted && wanted != version)
                           || decision.IsLeft
                           || decision.Exists(decided => decided.Events.IsEmpty)))
            {
                attempt--;
                continue;
            }
            if (expectedVersion.Case is long expected && expected != version)
                return Conflict<TEvent, TState, TError>(streamId, expected, version);
            if (decision.Case is TError error)
                return Left<CommandRejection<TError>, CommandResult<TEvent, TState>>(new CommandRejection<TError>.Rejected(error));

            var (events, newState) = ((Seq<TEvent>, TState))decision.Case!;
            if (events.IsEmpty)
            {
                cache?.Set(aggregate.StreamType, tenant, streamId, newState, version, aggregate.Footprint(newState));
                return new CommandResult<TEvent, TState>(newState, events, version, []);
            }

            var messages = events.Map(e => new NewMessage(aggregate.Codec.TypeOf(e), aggregate.Codec.Serialize(e), SchemaVersion: aggregate.Codec.SchemaVersion)).ToArray();
            var appended = await store.AppendAsync(
                tenant, streamId, aggregate.StreamType, messages, ExpectedVersion.Exactly(version), context, cancellationToken);

            if (appended.Case is AppendResult result)
            {
                cache?.Set(aggregate.StreamType, tenant, streamId, newState, result.NextStreamPosition, aggregate.Footprint(newState));
                return new CommandResult<TEvent, TState>(newState, events, result.NextStreamPosition, result.GlobalPositions);
            }
            cache?.Remove(aggregate.StreamType, tenant, streamId);

            switch (appended.Case)
            {
                case StreamError.WrongExpectedVersion when cached:
                    attempt--; // The cache was behind, not another writer racing us: read and decide again at once.
                    continue;
                case StreamError.WrongExpectedVersion conflict when expectedVersion.IsNone && attempt < MaxAttempts:
                    logger.LogDebug("Conflict on {Stream} at version {Version} (attempt {Attempt}); retrying", streamId, version, attempt);
                    await Task.Delay(Backoff(attempt), cancellationToken);
                    continue;
                case StreamError.WrongExpectedVersion conflict:
                    return Left<CommandRejection<TError>, CommandResult<TEvent, TState>>(new CommandRejection<TError>.Conflict(conflict));
                case StreamError refused:
                    return Left<CommandRejection<TError>, CommandResult<TEvent, TState>>(new CommandRejection<TError>.StoreRefused(refused));
            }
        }
    }

    private static Either<CommandRejection<TError>, CommandResult<TEvent, TState>> Conflict<TEvent, TState, TError>(
        string streamId, long expected, long actual) =>
        Left<CommandRejection<TError>, CommandResult<TEvent, TState>>(new CommandRejection<TError>.Conflict(
            new StreamError.WrongExpectedVersion(streamId, ExpectedVersion.Exactly(expected), actual)));

    /// <summary>Grows with each attempt; the jitter keeps racing writers from colliding again in step.</summary>
    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Random.Shared.Next(1, 4 * Math.Min(attempt, 8) + 1));
}
