using System.Text.Json;
using System.Text.Json.Serialization;
using LanguageExt;
using static CartGraph.Domain.Carts.CartEvent;
using static LanguageExt.Prelude;

namespace CartGraph.Domain.Carts;

/// <summary>The storage contract of cart events: the seed's type names and camelCase JSON payloads, schema version 1.</summary>
public static partial class CartEventJson
{
    /// <summary>The one schema version of cart events so far; another means a newer writer, or an upcaster to add here.</summary>
    public const string SchemaVersion = "1";

    public static readonly EventCodec<CartEvent> Codec = new(TypeOf, Serialize, Deserialize, SchemaVersion);

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
    public static bool Knows(string type) => type is nameof(CartCreated) or nameof(ItemAddedToCart) or nameof(ItemRemovedFromCart)
        or nameof(CartEmptied) or nameof(CartCheckedOut) or nameof(CartCancelled);

    /// <summary>A cart event as this version writes it (schema version 1).</summary>
    public static Either<UnreadableEvent, Option<CartEvent>> Deserialize(string type, string json) => Deserialize(type, SchemaVersion, json);

    /// <summary>A cart event from its stored type, schema version and data; None for another type.</summary>
    public static Either<UnreadableEvent, Option<CartEvent>> Deserialize(string type, string schemaVersion, string json)
    {
        if (!Knows(type)) return Right(Option<CartEvent>.None);
        if (schemaVersion != SchemaVersion)
            return Left(new UnreadableEvent($"{type} of schema version '{schemaVersion}' is unknown to this version, which reads version {SchemaVersion}."));
        try
        {
            return Right(Some(Read(type, json)));
        }
        catch (JsonException e)
        {
            return Left(new UnreadableEvent($"{type} data is not its shape: {e.Message}"));
        }
    }

    private static CartEvent Read(string type, string json) => type switch
    {
        nameof(CartCreated) => Read(json, Json.Default.CartCreated),
        nameof(ItemAddedToCart) => Read(json, Json.Default.ItemAddedToCart),
        nameof(ItemRemovedFromCart) => Read(json, Json.Default.ItemRemovedFromCart),
        nameof(CartCheckedOut) => Read(json, Json.Default.CartCheckedOut),
        nameof(CartCancelled) => Read(json, Json.Default.CartCancelled),
        // NOTE: the seed gives CartEmptied no data; whatever is stored, it empties the cart.
        _ => new CartEmptied(),
    };

    private static CartEvent Read<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info) where T : CartEvent =>
        JsonSerializer.Deserialize(json, info) ?? throw new JsonException($"A {typeof(T).Name} event must be a JSON object, not null.");

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
