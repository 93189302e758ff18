namespace CartGraph.Infrastructure.EventStore;

/// <summary>A message to append: its type name and its JSON data, as the owning aggregate's codec wrote them.</summary>
/// <param name="MessageId">A unique id; a new UUIDv7 when none is given.</param>
/// <param name="Context">Why this message is appended, when it differs from the append's (commands appended together).</param>
public sealed record NewMessage(string Type, string Data, string? MessageId = null, string SchemaVersion = "1", MessageContext? Context = null);

/// <summary>Why messages are appended, carried in every message's metadata for tracing a flow across services.</summary>
/// <param name="IdempotencyKey">The key of the command that appended them, when it had one.</param>
/// <param name="InputFingerprint">What that command's input was, to tell a repeat from another command with the same key.</param>
/// <param name="CommandEvents">How many messages that command appended.</param>
public sealed record MessageContext(
    string? CorrelationId = null, string? CausationId = null,
    string? IdempotencyKey = null, string? InputFingerprint = null, int? CommandEvents = null)
{
    public static readonly MessageContext None = new();
}
