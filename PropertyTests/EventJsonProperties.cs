using System.Text.Json;
using CartGraph.Domain;
using CartGraph.Domain.Carts;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LanguageExt;
using static CartGraph.Domain.Carts.CartEvent;
using static LanguageExt.Prelude;

namespace CartGraph.PropertyTests;

[Properties(Arbitrary = new[] { typeof(CartGenerators) }, MaxTest = 1000)]
public static class EventJsonProperties
{
    [Property]
    public static Property Decided_events_serialize_to_the_seed_json_and_back(DecidedEvents history)
    {
        var problem = history.Events.Map(JsonProblem).Somes().HeadOrNone();
        return problem.IsNone.Label(Escaped(problem.IfNone("")));
    }

    // Non-ASCII as \uXXXX, so that a lone surrogate or a look-alike character shows in the failure message.
    private static string Escaped(string text) =>
        string.Concat(text.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:X4}"));

    private static Option<string> JsonProblem(CartEvent @event)
    {
        var codec = CartEventJson.Codec;
        var type = codec.TypeOf(@event);
        var json = codec.Serialize(@event);
        using var document = JsonDocument.Parse(json);
        var readBack = codec.Deserialize(type, codec.SchemaVersion, json);
        return type != @event.GetType().Name ? $"{@event} is stored as message_type {type}"
            : !HasTheSeedShape(@event, document.RootElement) ? $"{@event} is stored as {json}, not the seed's shape"
            : readBack != Right<UnreadableEvent, Option<CartEvent>>(Some(@event)) ? $"{@event} is stored as {json} and reads back as {readBack}"
            : None;
    }

    // The seed's message_data, key for key: camelCase, nothing more, values as the event holds them.
    private static bool HasTheSeedShape(CartEvent @event, JsonElement json) => @event switch
    {
        CartCreated e => HasKeys(json, "currency") && Text(json, "currency") == e.Currency,
        ItemAddedToCart e => HasKeys(json, "item") && IsItem(json.GetProperty("item"), e.Item),
        ItemRemovedFromCart e =>
            HasKeys(json, "sku", "quantity") && Text(json, "sku") == e.Sku && Number(json, "quantity") == e.Quantity,
        CartEmptied => json.ValueKind == JsonValueKind.Null,
        CartCheckedOut e =>
            HasKeys(json, "orderId", "total") && Text(json, "orderId") == e.OrderId && Number(json, "total") == e.Total,
        CartCancelled e => HasKeys(json, "reason") && Text(json, "reason") == e.Reason,
        _ => false,
    };

    private static bool IsItem(JsonElement json, CartItem item) =>
        HasKeys(json, "sku", "name", "quantity", "unitPrice")
        && Text(json, "sku") == item.Sku
        && Text(json, "name") == item.Name
        && Number(json, "quantity") == item.Quantity
        && Number(json, "unitPrice") == item.UnitPrice;

    private static bool HasKeys(JsonElement json, params string[] keys) =>
        json.ValueKind == JsonValueKind.Object
        && json.EnumerateObject().Select(property => property.Name).Order(StringComparer.Ordinal)
            .SequenceEqual(keys.Order(StringComparer.Ordinal));

    private static string? Text(JsonElement json, string key) =>
        json.GetProperty(key) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static decimal? Number(JsonElement json, string key) =>
        json.GetProperty(key) is { ValueKind: JsonValueKind.Number } value ? value.GetDecimal() : null;
}
