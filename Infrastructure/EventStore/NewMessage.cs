namespace CartGraph.Infrastructure.EventStore;

/// <summary>A message to append: its type name and its JSON data, as the owning aggregate's codec wrote them.</summary>
/// <param name="MessageId">A unique id; a new UUIDv7 when none is given.</param>
/// <param name="Context">Why this message is appended, when it differs from the append's (commands appended together).</param>
public sealed record NewMessage(string Type, string Data, string? MessageId = null, string SchemaVersion = "1", MessageContext? Context = null);

/// <summary>Why messages are appended, carried in every message's metadata for tracing a flow across services.</summary>
public sealed record MessageContext(string? CorrelationId = null, string? CausationId = null)
{
    public static readonly MessageContext None = new();
}
