using CartGraph.Domain;

namespace CartGraph.Infrastructure.CommandHandling;

/// <summary>
/// An event-sourced type as the shell needs it: its stream type, its decider, its storage contract, and what one of
/// its states keeps alive in memory, in bytes (see <see cref="Caching.Footprint"/>), which the cache's budget counts; with
/// <c>Errors</c>, a keyed command its decider rejected is remembered, and its repeat answers the same error.
/// </summary>
public sealed record Aggregate<TCommand, TEvent, TState, TError>(
    string StreamType,
    Decider<TCommand, TEvent, TState, TError> Decider,
    EventCodec<TEvent> Codec,
    Func<TState, long> Footprint,
    ErrorCodec<TError>? Errors = null);
