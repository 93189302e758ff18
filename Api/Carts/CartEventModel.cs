using System.Text.Json;
using CartGraph.Domain;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using LanguageExt;

namespace CartGraph.Api.Carts;

/// <summary>One event of a cart's stream, as clients see it: its data in today's shape, whatever version stored it.</summary>
/// <param name="Position">Its place in the tenant's commit order; <paramref name="Cursor"/> is that place as clients hold it.</param>
/// <param name="Unreadable">Set, and <paramref name="Data"/> null, for an event this version cannot read.</param>
/// <param name="After">
/// The cart right after the event when a page of history folded it (or why it cannot be known: an event this version
/// cannot read, at or before it); null on a live event, whose cart is folded when asked for.
/// </param>
public sealed record CartEventModel(
    TenantId Tenant,
    string CartId,
    string Type,
    JsonElement Data,
    long StreamPosition,
    long GlobalPosition,
    DateTimeOffset Created,
    ConsumerCursor Position,
    string Cursor,
    UnreadableEvent? Unreadable = null,
    Either<StreamError, Option<CartView>>? After = null)
{
    /// <summary>
    /// Today's version's data as stored; an older version's upcast and written as today's; a type that is no cart event
    /// as stored (it has no schema here to read it by).
    /// </summary>
    public static CartEventModel From(TenantId tenant, RecordedMessage message) =>
        CartEventJson.Codec.Deserialize(message.MessageType, message.SchemaVersion, message.Data).Match(
            Right: read => read.Match(
                Some: @event => Of(tenant, message, message.SchemaVersion == CartEventJson.Codec.SchemaVersion ? message.Data : CartEventJson.Codec.Serialize(@event)),
                None: () => Of(tenant, message, message.Data)),
            Left: unreadable => Of(tenant, message, "null") with { Unreadable = unreadable });

    private static CartEventModel Of(TenantId tenant, RecordedMessage message, string data)
    {
        using var document = JsonDocument.Parse(data);
        return new(tenant, message.StreamId, message.MessageType, document.RootElement.Clone(),
            message.StreamPosition, message.GlobalPosition, message.Created, message.Cursor, EventCursor.Encode(tenant, message.Cursor));
    }
}
