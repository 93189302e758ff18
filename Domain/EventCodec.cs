using LanguageExt;

namespace CartGraph.Domain;

/// <summary>
/// How one aggregate's events are named and serialized in the event store: a record of functions,
/// so the store stays generic and each aggregate owns its storage contract.
/// </summary>
/// <param name="TypeOf">The stored <c>message_type</c> of an event.</param>
/// <param name="Serialize">The stored <c>message_data</c> JSON of an event.</param>
/// <param name="Deserialize">
/// An event from its stored type, schema version and JSON: <c>None</c> for a type this aggregate does not know, an
/// <see cref="UnreadableEvent"/> for one of its types whose data or schema version it cannot read (corruption, or a
/// newer writer). A value, never an exception: whoever reads the stream decides what an unreadable event means to it,
/// and none skips it in silence.
/// </param>
/// <param name="SchemaVersion">The <c>message_schema_version</c> this version writes.</param>
public sealed record EventCodec<TEvent>(
    Func<TEvent, string> TypeOf,
    Func<TEvent, string> Serialize,
    Func<string, string, string, Either<UnreadableEvent, Option<TEvent>>> Deserialize,
    string SchemaVersion);

/// <summary>A stored event of a known type that cannot be read: why, for the logs and the operators (not for clients).</summary>
public sealed record UnreadableEvent(string Reason);
