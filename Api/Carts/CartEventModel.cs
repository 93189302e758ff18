using System.Text.Json;
using CartGraph.Infrastructure.EventStore;

namespace CartGraph.Api.Carts;

/// <summary>One event of a cart's stream, as clients see it: its payload exactly as stored.</summary>
public sealed record CartEventModel(
    string CartId,
    string Type,
    JsonElement Data,
    long StreamPosition,
    long GlobalPosition,
    DateTimeOffset Created)
{
    public static CartEventModel From(RecordedMessage message)
    {
        using var document = JsonDocument.Parse(message.Data);
        return new(message.StreamId, message.MessageType, document.RootElement.Clone(),
            message.StreamPosition, message.GlobalPosition, message.Created);
    }
}
