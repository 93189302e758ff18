using CartGraph.Domain;

namespace CartGraph.Infrastructure.CommandHandling;

/// <summary>An event-sourced type as the shell needs it: its stream type, its decider and its storage contract.</summary>
public sealed record Aggregate<TCommand, TEvent, TState, TError>(
    string StreamType,
    Decider<TCommand, TEvent, TState, TError> Decider,
    EventCodec<TEvent> Codec);
