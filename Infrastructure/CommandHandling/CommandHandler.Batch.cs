using CartGraph.Infrastructure.EventStore;
using LanguageExt;
using Microsoft.Extensions.Logging;
using static LanguageExt.Prelude;

namespace CartGraph.Infrastructure.CommandHandling;

/// <summary>Group commit: the commands waiting on one stream, decided in order and appended in one transaction.</summary>
public sealed partial class CommandHandler
{
    /// <summary>Answers every command of the batch: with its own outcome, or the batch's exception. Never throws.</summary>
    private async Task RunBatchAsync<TCommand, TEvent, TState, TError>(
        TargetStream<TCommand, TEvent, TState, TError> stream, IReadOnlyList<PendingCommand<TCommand, TEvent, TState, TError>> batch)
    {
        // NOTE: the store is not given any sender's cancellation: the batch is theirs together, and a sender who gives up
        // only leaves it (PendingCommand.Abandoned) before the next attempt.
        try
        {
            var (aggregate, tenant, streamId) = (stream.Aggregate, stream.Tenant, stream.Id);
            if (cache is not null && cache.TryGet(aggregate.StreamType, tenant, streamId, out TState cachedState, out var cachedVersion)
                && await DecideAndAppendAsync(stream, Waiting(batch), cachedState, cachedVersion, fromCache: true))
                return;

            for (var attempt = 1; ; attempt++)
            {
                var waiting = Waiting(batch);
                if (waiting.Count == 0) return;
                var loaded = await LoadAsync(stream, CancellationToken.None);
                if (loaded.Case is StreamError refused)
                {
                    Answer(waiting, new CommandRejection<TError>.StoreRefused(refused));
                    return;
                }
                var (state, version) = ((TState, long))loaded.Case!;
                if (await DecideAndAppendAsync(stream, waiting, state, version, fromCache: false)) return;
                logger.LogDebug("Conflict on {Stream} (attempt {Attempt}, {Commands} commands); deciding them again", streamId, attempt, waiting.Count);
                await Task.Delay(Backoff(attempt));
            }
        }
        catch (Exception e)
        {
            foreach (var pending in batch) pending.Fail(e);
        }
    }

    /// <summary>
    /// Decides the waiting commands on <paramref name="state"/> and appends their events at exactly <paramref name="version"/>:
    /// true when every command is answered, false when the batch must be decided again on a fresh read.
    /// </summary>
    /// <param name="fromCache">
    /// A cached state is proven current only by an append (or the store refusing the stream outright): a batch that
    /// records nothing there (rejections, decisions to record nothing, versions the senders did not expect) is decided
    /// again on the stream.
    /// </param>
    private async Task<bool> DecideAndAppendAsync<TCommand, TEvent, TState, TError>(
        TargetStream<TCommand, TEvent, TState, TError> stream,
        IReadOnlyList<PendingCommand<TCommand, TEvent, TState, TError>> waiting,
        TState state,
        long version,
        bool fromCache)
    {
        var (aggregate, tenant, streamId) = (stream.Aggregate, stream.Tenant, stream.Id);
        var (deciding, followers) = await AnswerRepeatsAsync(stream, waiting);
        if (deciding.Count == 0) return true;
        var decided = BatchDecision.Decide(aggregate.Decider, state, version, deciding.Select(p => (p.Command, p.ExpectedVersion)));
        var answered = await AppendDecidedAsync(stream, deciding, decided, state, version, fromCache);
        if (answered) AnswerFollowers(followers);
        return answered;
    }

    private async Task<bool> AppendDecidedAsync<TCommand, TEvent, TState, TError>(
        TargetStream<TCommand, TEvent, TState, TError> stream,
        IReadOnlyList<PendingCommand<TCommand, TEvent, TState, TError>> waiting,
        BatchDecision<TEvent, TState, TError> decided,
        TState state,
        long version,
        bool fromCache)
    {
        var (aggregate, tenant, streamId) = (stream.Aggregate, stream.Tenant, stream.Id);
        if (decided.Events.IsEmpty)
        {
            if (fromCache) return false;
            await RememberRejectionsAsync(stream, waiting, decided);
            cache?.Set(aggregate.StreamType, tenant, streamId, state, version, aggregate.Footprint(state));
            Answer(waiting, decided, streamId, []);
            return true;
        }

        var messages = new List<NewMessage>();
        foreach (var (pending, decision) in Pairs(waiting, decided))
            if (decision is Decision<TEvent, TState, TError>.Accepted accepted)
                messages.AddRange(Messages(aggregate.Codec, pending, accepted.Events));
        var appended = await store.AppendAsync(tenant, streamId, aggregate.StreamType, messages, ExpectedVersion.Exactly(version));
        switch (appended.Case)
        {
            case AppendResult { AlreadyAppended: true }:
                // Another instance appended one of these keyed commands since we looked: decide them again, as on a conflict.
                cache?.Remove(aggregate.StreamType, tenant, streamId);
                return false;
            case AppendResult result:
                await RememberRejectionsAsync(stream, waiting, decided);
                cache?.Set(aggregate.StreamType, tenant, streamId, decided.State, result.NextStreamPosition, aggregate.Footprint(decided.State));
                Answer(waiting, decided, streamId, result.GlobalPositions);
                return true;
            case StreamError.WrongExpectedVersion:
                cache?.Remove(aggregate.StreamType, tenant, streamId);
                return false;
            default:
                cache?.Remove(aggregate.StreamType, tenant, streamId);
                Answer(waiting, new CommandRejection<TError>.StoreRefused((StreamError)appended.Case!));
                return true;
        }
    }

    /// <summary>Each command its own outcome; an accepted one with the global positions of its own events.</summary>
    private static void Answer<TCommand, TEvent, TState, TError>(
        IReadOnlyList<PendingCommand<TCommand, TEvent, TState, TError>> waiting,
        BatchDecision<TEvent, TState, TError> decided,
        string streamId,
        IReadOnlyList<long> globalPositions)
    {
        var offset = 0;
        foreach (var (pending, decision) in Pairs(waiting, decided))
        {
            pending.Answer(decision switch
            {
                Decision<TEvent, TState, TError>.Accepted accepted => Right<CommandRejection<TError>, CommandResult<TEvent, TState>>(
                    new CommandResult<TEvent, TState>(accepted.State, accepted.Events, accepted.Version,
                        globalPositions.Skip(offset).Take(accepted.Events.Count).ToArray())),
                Decision<TEvent, TState, TError>.Rejected rejected =>
                    Left<CommandRejection<TError>, CommandResult<TEvent, TState>>(new CommandRejection<TError>.Rejected(rejected.Error)),
                Decision<TEvent, TState, TError>.Unexpected unexpected =>
                    Left<CommandRejection<TError>, CommandResult<TEvent, TState>>(Conflict<TError>(streamId, unexpected.Expected, unexpected.Actual)),
                _ => throw new InvalidOperationException($"Unhandled decision {decision}"),
            });
            if (decision is Decision<TEvent, TState, TError>.Accepted { Events.Count: var count }) offset += count;
        }
    }

    /// <summary>Each command with its decision: the batch decides them in the order they wait.</summary>
    private static IEnumerable<(PendingCommand<TCommand, TEvent, TState, TError> Pending, Decision<TEvent, TState, TError> Decision)> Pairs<TCommand, TEvent, TState, TError>(
        IReadOnlyList<PendingCommand<TCommand, TEvent, TState, TError>> waiting, BatchDecision<TEvent, TState, TError> decided) =>
        Enumerable.Zip(waiting, decided.Decisions, (pending, decision) => (pending, decision));

    private static void Answer<TCommand, TEvent, TState, TError>(
        IEnumerable<PendingCommand<TCommand, TEvent, TState, TError>> waiting, CommandRejection<TError> rejection)
    {
        foreach (var pending in waiting) pending.Answer(Left<CommandRejection<TError>, CommandResult<TEvent, TState>>(rejection));
    }

    /// <summary>The commands of the batch whose senders still wait; the others are dropped, never appended.</summary>
    private static List<PendingCommand<TCommand, TEvent, TState, TError>> Waiting<TCommand, TEvent, TState, TError>(
        IReadOnlyList<PendingCommand<TCommand, TEvent, TState, TError>> batch)
    {
        var waiting = new List<PendingCommand<TCommand, TEvent, TState, TError>>(batch.Count);
        foreach (var pending in batch)
            if (pending.Abandoned) pending.Drop();
            else if (!pending.Answered) waiting.Add(pending);
        return waiting;
    }
}
