using System.Text.Json;
using System.Text.Json.Serialization;
using LanguageExt;
using static CartGraph.Domain.Carts.CartEvent;
using static LanguageExt.Prelude;

namespace CartGraph.Domain.Carts;

/// <summary>
/// The storage contract of cart events: the seed's type names and camelCase JSON payloads. Writes use schema version 1;
/// reads take every version stored so far through its upcasters to today's event (see README, "Evolving events").
/// </summary>
public static partial class CartEventJson
{
    /// <summary>The schema version this version writes.</summary>
    public const string SchemaVersion = "1";

    /// <summary>Version 0: the seed's command field names, an item's price as <c>price</c> (see <see cref="CartEventV0"/>).</summary>
    public const string SchemaVersion0 = "0";

    private static readonly IReadOnlyDictionary<string, Func<string, CartEvent>> Version1 = new Dictionary<string, Func<string, CartEvent>>
    {
        [nameof(CartCreated)] = Reader(Json.Default.CartCreated),
        [nameof(ItemAddedToCart)] = Reader(Json.Default.ItemAddedToCart),
        [nameof(ItemRemovedFromCart)] = Reader(Json.Default.ItemRemovedFromCart),
        // NOTE: the seed gives CartEmptied no data; whatever is stored, it empties the cart.
        [nameof(CartEmptied)] = _ => new CartEmptied(),
        [nameof(CartCheckedOut)] = Reader(Json.Default.CartCheckedOut),
        [nameof(CartCancelled)] = Reader(Json.Default.CartCancelled),
    };

    /// <summary>
    /// Version 0 is version 1 but for an item's price: the seed's command and event tables agree on every other field,
    /// so those events read as version 1's shape.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, Func<string, CartEvent>> Version0 = new Dictionary<string, Func<string, CartEvent>>(Version1)
    {
        [nameof(ItemAddedToCart)] = Reader(Json.Default.ItemAddedToCartV0).Then(CartEventV0.Upcast),
    };

    private static readonly EventSchema<CartEvent> Schema = EventSchema<CartEvent>.Of(SchemaVersion, Version1).WithOlder(SchemaVersion0, Version0);

    public static readonly EventCodec<CartEvent> Codec = new(TypeOf, Serialize, Schema.Read, SchemaVersion);

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

    /// <summary>Whether the type names a cart event (whatever its data).</summary>
    public static bool Knows(string type) => Version1.ContainsKey(type);

    /// <summary>A cart event as this version writes it (schema version 1).</summary>
    public static Either<UnreadableEvent, Option<CartEvent>> Deserialize(string type, string json) => Schema.Read(type, SchemaVersion, json);

    /// <summary>A cart event from its stored type, schema version and data, upcast to today's; None for another type.</summary>
    public static Either<UnreadableEvent, Option<CartEvent>> Deserialize(string type, string schemaVersion, string json) =>
        Schema.Read(type, schemaVersion, json);

    private static Func<string, T> Reader<T>(System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info) where T : class =>
        json => JsonSerializer.Deserialize(json, info) ?? throw new JsonException($"A {typeof(T).Name} event must be a JSON object, not null.");

    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true)]
    [JsonSerializable(typeof(CartCreated))]
    [JsonSerializable(typeof(ItemAddedToCart))]
    [JsonSerializable(typeof(ItemRemovedFromCart))]
    [JsonSerializable(typeof(CartCheckedOut))]
    [JsonSerializable(typeof(CartCancelled))]
    [JsonSerializable(typeof(CartEventV0.ItemAddedToCart), TypeInfoPropertyName = "ItemAddedToCartV0")]
    private sealed partial class Json : JsonSerializerContext;
}
