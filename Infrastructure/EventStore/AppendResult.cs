namespace CartGraph.Infrastructure.EventStore;

/// <summary>What a successful append wrote.</summary>
/// <param name="NextStreamPosition">The stream's position after the append: the position of its last message.</param>
/// <param name="GlobalPositions">The global position of each message, in the order given.</param>
/// <param name="TransactionId">The appending transaction, as stored on every message.</param>
/// <param name="AlreadyAppended">
/// Nothing was written: every message id was in the stream already. The positions are the ones those messages got then,
/// <paramref name="NextStreamPosition"/> that of the last of them. Neither an error nor a conflict.
/// </param>
public sealed record AppendResult(long NextStreamPosition, IReadOnlyList<long> GlobalPositions, ulong TransactionId, bool AlreadyAppended = false);
