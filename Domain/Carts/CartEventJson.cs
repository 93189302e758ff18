using System.Text.Json;
using System.Text.Json.Serialization;
using LanguageExt;
using static CartGraph.Domain.Carts.CartEvent;
using static LanguageExt.Prelude;

namespace CartGraph.Domain.Carts;

/// <summary>The storage contract of cart events: the seed's type names and camelCase JSON payloads.</summary>
public static partial class CartEventJson
{
    public static readonly EventCodec<CartEvent> Codec = new(TypeOf, Serialize, Deserialize);

    public static string TypeOf(CartEvent @event) => @event switch
    {
        CartCreated => nameof(CartCreated),
        ItemAddedToCart => nameof(ItemAddedToCart),
        ItemRemovedFromCart => nameof(ItemRemovedFromCart),
        CartEmptied => nameof(CartEmptied),
        CartCheckedOut => nameof(CartCheckedOut),
        CartCancelled => nameof(CartCancelled),
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name, "Not a cart event."),
    };

    public static string Serialize(CartEvent @event) => @event switch
    {
        CartCreated e => JsonSerializer.Serialize(e, Json.Default.CartCreated),
        ItemAddedToCart e => JsonSerializer.Serialize(e, Json.Default.ItemAddedToCart),
        ItemRemovedFromCart e => JsonSerializer.Serialize(e, Json.Default.ItemRemovedFromCart),
        // NOTE: the seed gives CartEmptied no data; JSON null is what it stores.
        CartEmptied => "null",
        CartCheckedOut e => JsonSerializer.Serialize(e, Json.Default.CartCheckedOut),
        CartCancelled e => JsonSerializer.Serialize(e, Json.Default.CartCancelled),
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name, "Not a cart event."),
    };

    public static Option<CartEvent> Deserialize(string type, string json) => type switch
    {
        nameof(CartCreated) => Read(json, Json.Default.CartCreated),
        nameof(ItemAddedToCart) => Read(json, Json.Default.ItemAddedToCart),
        nameof(ItemRemovedFromCart) => Read(json, Json.Default.ItemRemovedFromCart),
        nameof(CartEmptied) => Some<CartEvent>(new CartEmptied()),
        nameof(CartCheckedOut) => Read(json, Json.Default.CartCheckedOut),
        nameof(CartCancelled) => Read(json, Json.Default.CartCancelled),
        _ => None,
    };

    private static Option<CartEvent> Read<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info)
        where T : CartEvent =>
        JsonSerializer.Deserialize(json, info) is { } @event
            ? Some<CartEvent>(@event)
            : throw new JsonException($"A {typeof(T).Name} event must be a JSON object, not null.");

    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true)]
    [JsonSerializable(typeof(CartCreated))]
    [JsonSerializable(typeof(ItemAddedToCart))]
    [JsonSerializable(typeof(ItemRemovedFromCart))]
    [JsonSerializable(typeof(CartCheckedOut))]
    [JsonSerializable(typeof(CartCancelled))]
    private sealed partial class Json : JsonSerializerContext;
}
