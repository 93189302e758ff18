using CartGraph.Domain;
using LanguageExt;
using static LanguageExt.Prelude;

namespace CartGraph.Infrastructure.CommandHandling;

/// <summary>How one command of a batch was decided, on the state and version the commands before it left.</summary>
public abstract record Decision<TEvent, TState, TError>
{
    private Decision() { }

    /// <summary>Accepted: its events (none when nothing needed to change), and the state and version they lead to.</summary>
    public sealed record Accepted(Seq<TEvent> Events, TState State, long Version) : Decision<TEvent, TState, TError>;

    /// <summary>The decider refused it; it records nothing and the next command sees the state it found.</summary>
    public sealed record Rejected(TError Error) : Decision<TEvent, TState, TError>;

    /// <summary>Its sender expected the stream at another version than the one it came to: not decided at all.</summary>
    public sealed record Unexpected(long Expected, long Actual) : Decision<TEvent, TState, TError>;
}

/// <summary>
/// Commands for one stream decided in order, each on the state the ones before it left (pure: the shell appends the
/// result). The batch's events are every accepted command's, in order: appended at once from <c>version</c>, each
/// command's events land exactly at the versions its decision says.
/// </summary>
public sealed record BatchDecision<TEvent, TState, TError>(
    Seq<Decision<TEvent, TState, TError>> Decisions, Seq<TEvent> Events, TState State, long Version);

public static class BatchDecision
{
    /// <param name="version">The stream's version that <paramref name="state"/> folds.</param>
    /// <param name="commands">In the order they are to be decided, each with the version its sender expects, if any.</param>
    public static BatchDecision<TEvent, TState, TError> Decide<TCommand, TEvent, TState, TError>(
        Decider<TCommand, TEvent, TState, TError> decider,
        TState state,
        long version,
        IEnumerable<(TCommand Command, Option<long> ExpectedVersion)> commands)
    {
        var (decisions, events) = (new List<Decision<TEvent, TState, TError>>(), new List<TEvent>());
        foreach (var (command, expected) in commands)
        {
            if (expected.Case is long other && other != version)
            {
                decisions.Add(new Decision<TEvent, TState, TError>.Unexpected(other, version));
                continue;
            }
            var decision = decider.Apply(command, state).Match(
                Right: decided =>
                {
                    (state, version) = (decided.State, version + decided.Events.Count);
                    events.AddRange(decided.Events);
                    return new Decision<TEvent, TState, TError>.Accepted(decided.Events, state, version);
                },
                Left: Decision<TEvent, TState, TError> (error) => new Decision<TEvent, TState, TError>.Rejected(error));
            decisions.Add(decision);
        }
        return new BatchDecision<TEvent, TState, TError>(toSeq(decisions), toSeq(events), state, version);
    }
}
