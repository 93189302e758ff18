using CartGraph.Domain;
using CartGraph.Infrastructure.EventStore;
using LanguageExt;
using static LanguageExt.Prelude;

namespace CartGraph.Infrastructure.CommandHandling;

/// <summary>
/// Idempotency keys in a batch: a command whose key the stream holds is answered from the store (the first outcome, the
/// state right after it); one whose key an earlier command of the same batch carries follows that command's outcome.
/// </summary>
public sealed partial class CommandHandler
{
    /// <summary>
    /// Answers the repeats of keyed commands the stream holds; returns the commands left to decide, and those that follow
    /// an earlier command of the batch with the same key (answered once it is).
    /// </summary>
    private async Task<(List<PendingCommand<TCommand, TEvent, TState, TError>> Deciding,
        List<(PendingCommand<TCommand, TEvent, TState, TError> Follower, PendingCommand<TCommand, TEvent, TState, TError> Leader)> Followers)>
        AnswerRepeatsAsync<TCommand, TEvent, TState, TError>(
            TargetStream<TCommand, TEvent, TState, TError> stream, IReadOnlyList<PendingCommand<TCommand, TEvent, TState, TError>> waiting)
    {
        var deciding = new List<PendingCommand<TCommand, TEvent, TState, TError>>(waiting.Count);
        var followers = new List<(PendingCommand<TCommand, TEvent, TState, TError>, PendingCommand<TCommand, TEvent, TState, TError>)>();
        var keys = waiting.Choose(p => p.Idempotency).Map(k => k.Key.Value).Distinct().ToArray();
        if (keys.Length == 0) return (waiting.ToList(), followers);

        var (recorded, rejected) = await RecordedAsync(stream, keys);
        var leaders = new Dictionary<string, PendingCommand<TCommand, TEvent, TState, TError>>();
        foreach (var pending in waiting)
        {
            if (pending.Idempotency.Case is not Idempotency key)
            {
                deciding.Add(pending);
                continue;
            }
            if (recorded.TryGetValue(key.Key.Value, out var earlier))
                pending.Answer(key.Fingerprint != earlier.Fingerprint ? KeyReused<TEvent, TState, TError>(key) : await RepeatAsync(stream, earlier));
            else if (rejected.TryGetValue(key.Key.Value, out var refusal))
                pending.Answer(key.Fingerprint != refusal.Fingerprint
                    ? KeyReused<TEvent, TState, TError>(key)
                    : Left<CommandRejection<TError>, CommandResult<TEvent, TState>>(new CommandRejection<TError>.Rejected(refusal.Error)));
            else if (leaders.TryGetValue(key.Key.Value, out var leader))
                followers.Add((pending, leader));
            else
            {
                leaders.Add(key.Key.Value, pending);
                deciding.Add(pending);
            }
        }
        return (deciding, followers);
    }

    /// <summary>
    /// What the first command with each key left, from its first event, and the keyed commands the decider rejected
    /// (when the aggregate can read its errors back): one round trip.
    /// </summary>
    private async Task<(Dictionary<string, KeyedOutcome> Recorded, Dictionary<string, (string Fingerprint, TError Error)> Rejected)>
        RecordedAsync<TCommand, TEvent, TState, TError>(TargetStream<TCommand, TEvent, TState, TError> stream, IReadOnlyList<string> keys)
    {
        var codec = stream.Aggregate.Errors;
        var records = await store.ReadKeyedAsync(stream.Tenant, stream.Id, keys.Select(k => $"{k}:1").ToArray(), keys);
        var outcomes = new Dictionary<string, KeyedOutcome>();
        foreach (var first in records.Messages)
            if (KeyedOutcome.Of(first) is { } outcome) outcomes[outcome.Key] = outcome;
        var rejected = new Dictionary<string, (string, TError)>();
        foreach (var record in records.Rejections)
            if (record.Error is null) outcomes.TryAdd(record.Key, KeyedOutcome.Eventless(record.Key, record.Fingerprint, record.Version));
            else if (codec?.Deserialize(record.Error).Case is TError error) rejected[record.Key] = (record.Fingerprint, error);
        return (outcomes, rejected);
    }

    /// <summary>
    /// Remembers the keyed commands of a decided batch that append nothing, before any sender is answered, so a repeat
    /// answers the same outcome: the error of a rejected one (when the aggregate has an error codec), the version of one
    /// accepted with nothing to change.
    /// </summary>
    private Task RememberRejectionsAsync<TCommand, TEvent, TState, TError>(
        TargetStream<TCommand, TEvent, TState, TError> stream,
        IReadOnlyList<PendingCommand<TCommand, TEvent, TState, TError>> waiting,
        BatchDecision<TEvent, TState, TError> decided)
    {
        var codec = stream.Aggregate.Errors;
        var rejections = Pairs(waiting, decided)
            .Where(p => p.Pending.Idempotency.IsSome)
            .Select(p => (Key: (Idempotency)p.Pending.Idempotency.Case!, p.Decision))
            .Select(p => p.Decision switch
            {
                Decision<TEvent, TState, TError>.Rejected rejected when codec is not null =>
                    new RejectedCommand(p.Key.Key.Value, p.Key.Fingerprint, codec.Serialize(rejected.Error), 0),
                Decision<TEvent, TState, TError>.Accepted { Events.IsEmpty: true } accepted =>
                    new RejectedCommand(p.Key.Key.Value, p.Key.Fingerprint, null, accepted.Version),
                _ => null,
            })
            .OfType<RejectedCommand>()
            .ToArray();
        return store.RememberRejectionsAsync(stream.Tenant, stream.Id, rejections);
    }

    /// <summary>The first outcome again: its version and the state the stream had right after it (not the current one).</summary>
    private async Task<Either<CommandRejection<TError>, CommandResult<TEvent, TState>>> RepeatAsync<TCommand, TEvent, TState, TError>(
        TargetStream<TCommand, TEvent, TState, TError> stream, KeyedOutcome earlier)
    {
        var folded = await store.AggregateStreamAsOfAsync(stream.Tenant, stream.Id, stream.Aggregate.Decider, stream.Aggregate.Codec, earlier.Version);
        var count = (int)(earlier.Version - earlier.FirstPosition + 1);
        IReadOnlyList<long> positions = count == 1
            ? [earlier.FirstGlobalPosition]
            : (await store.ReadMessagesByIdAsync(stream.Tenant, stream.Id,
                Enumerable.Range(1, count).Select(i => $"{earlier.Key}:{i}").ToArray())).Select(m => m.GlobalPosition).ToArray();
        return folded.Match(
            Right: then => Right<CommandRejection<TError>, CommandResult<TEvent, TState>>(
                new CommandResult<TEvent, TState>(then.State, [], then.Version, positions)),
            Left: refused => Left<CommandRejection<TError>, CommandResult<TEvent, TState>>(new CommandRejection<TError>.StoreRefused(refused)));
    }

    /// <summary>Each follower answered as its leader was, unless it sent other input under the same key.</summary>
    private static void AnswerFollowers<TCommand, TEvent, TState, TError>(
        IEnumerable<(PendingCommand<TCommand, TEvent, TState, TError> Follower, PendingCommand<TCommand, TEvent, TState, TError> Leader)> followers)
    {
        foreach (var (follower, leader) in followers)
        {
            var (mine, theirs) = ((Idempotency)follower.Idempotency.Case!, (Idempotency)leader.Idempotency.Case!);
            if (mine.Fingerprint != theirs.Fingerprint) follower.Answer(KeyReused<TEvent, TState, TError>(mine));
            else if (leader.Outcome.IsCompletedSuccessfully) follower.Answer(leader.Outcome.Result);
        }
    }

    private static Either<CommandRejection<TError>, CommandResult<TEvent, TState>> KeyReused<TEvent, TState, TError>(Idempotency key) =>
        Left<CommandRejection<TError>, CommandResult<TEvent, TState>>(new CommandRejection<TError>.KeyReused(key.Key.Value));

    /// <summary>A command's events as messages: with its context, and its key's ids and record when it has one.</summary>
    private static IEnumerable<NewMessage> Messages<TCommand, TEvent, TState, TError>(
        EventCodec<TEvent> codec, PendingCommand<TCommand, TEvent, TState, TError> pending, Seq<TEvent> events)
    {
        var context = pending.Context ?? MessageContext.None;
        var key = pending.Idempotency.Case as Idempotency;
        if (key is not null) context = key.Recorded(context, events.Count);
        return events.Map((i, e) => new NewMessage(codec.TypeOf(e), codec.Serialize(e),
            MessageId: key?.MessageId(i + 1), SchemaVersion: codec.SchemaVersion, Context: context));
    }
}
