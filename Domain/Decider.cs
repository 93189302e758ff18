using LanguageExt;

namespace CartGraph.Domain;

/// <summary>
/// A decider as a plain record of functions: <c>Decide</c> holds every rule, <c>Evolve</c> only applies
/// what was decided. Nothing here knows about any aggregate; carts are one instance.
/// </summary>
/// <remarks>
/// NOTE: the error type is the fourth parameter so that a rejection stays a typed value all the way
/// through the generic command handler to the API, instead of collapsing into an untyped error.
/// </remarks>
public sealed record Decider<TCommand, TEvent, TState, TError>(
    Func<TCommand, TState, Either<TError, Seq<TEvent>>> Decide,
    Func<TState, TEvent, TState> Evolve,
    TState Initial,
    Func<TState, bool> IsTerminal)
{
    /// <summary>Replays events from the initial state.</summary>
    public TState Fold(IEnumerable<TEvent> events) => Fold(Initial, events);

    /// <summary>Replays events on top of a known state.</summary>
    public TState Fold(TState state, IEnumerable<TEvent> events)
    {
        var current = state;
        foreach (var @event in events) current = Evolve(current, @event);
        return current;
    }

    /// <summary>Decides, then evolves: the new state with the events that lead to it.</summary>
    public Either<TError, (Seq<TEvent> Events, TState State)> Apply(TCommand command, TState state) =>
        Decide(command, state).Map(events => (events, Fold(state, events)));
}
