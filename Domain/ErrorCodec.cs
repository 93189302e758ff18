using LanguageExt;

namespace CartGraph.Domain;

/// <summary>
/// How a decider's errors are stored: a rejection of a command with an idempotency key is remembered, so its repeat
/// answers the same error. <see cref="Deserialize"/> is None for text it does not know (written by a newer version).
/// </summary>
public sealed record ErrorCodec<TError>(Func<TError, string> Serialize, Func<string, Option<TError>> Deserialize);
