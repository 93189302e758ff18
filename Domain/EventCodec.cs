using LanguageExt;

namespace CartGraph.Domain;

/// <summary>
/// How one aggregate's events are named and serialized in the event store: a record of functions,
/// so the store stays generic and each aggregate owns its storage contract.
/// </summary>
/// <param name="TypeOf">The stored <c>message_type</c> of an event.</param>
/// <param name="Serialize">The stored <c>message_data</c> JSON of an event.</param>
/// <param name="Deserialize">
/// An event from its stored type and JSON; <c>None</c> for a type this aggregate does not know.
/// A known type with malformed data throws: that is corruption, never skipped in silence.
/// </param>
public sealed record EventCodec<TEvent>(
    Func<TEvent, string> TypeOf,
    Func<TEvent, string> Serialize,
    Func<string, string, Option<TEvent>> Deserialize);
