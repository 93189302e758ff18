using System.Text.Json;
using System.Text.Json.Serialization;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using static CartGraph.Domain.Carts.CartState;

namespace CartGraph.Infrastructure.ReadModels;

/// <summary>
/// How a <see cref="CartView"/> is stored in the <c>carts</c> table: plain columns, the seed's status names, and
/// <c>items_json</c> in the seed's shape <c>{"items": [...], "total": 40, "orderId": "..."}</c>.
/// NOTE: a storage contract read by other services; change it with a migration, not an edit.
/// </summary>
public static partial class CartRows
{
    /// <summary>The seed's status names.</summary>
    public static string StatusName(CartStatus status) => status switch
    {
        CartStatus.CheckedOut => "checkedOut",
        CartStatus.Cancelled => "cancelled",
        _ => "active",
    };

    public static string ItemsJson(CartView view) => JsonSerializer.Serialize(
        new ItemsDocument(view.Items.Lines.ToArray(), view.Total, view.OrderId.MatchUnsafe(id => id, () => null)),
        RowJson.Default.ItemsDocument);

    /// <summary>How many items the cart holds: the sum of its lines' quantities.</summary>
    public static int ItemCount(CartView view) => view.Items.Lines.Sum(line => line.Quantity);

    public static string? CancellationReason(CartView view) => view.CancellationReason.MatchUnsafe(reason => reason, () => null);

    /// <summary>When the read model recorded the cart: a stored view always was, unlike a command's result.</summary>
    public static DateTimeOffset Recorded(CartView view, DateTimeOffset? at, string column) =>
        at ?? throw new InvalidOperationException($"Cart '{view.CartId}' has no {column}: only views the projection made are stored.");

    /// <summary>The view a row holds, from its columns.</summary>
    public static CartView View(
        TenantId tenant, string cartId, string status, string currency, string itemsJson, string? cancellationReason,
        long version, DateTimeOffset createdAt, DateTimeOffset updatedAt)
    {
        var document = JsonSerializer.Deserialize(itemsJson, RowJson.Default.ItemsDocument)
            ?? throw new JsonException($"items_json of cart '{cartId}' is null.");
        var items = document.Items.Length == 0 ? CartItems.Empty : new CartItems(document.Items);
        CartState state = status switch
        {
            "checkedOut" => new CheckedOutCart(currency, items, document.OrderId ?? "", document.Total),
            "cancelled" => new CancelledCart(currency, items, cancellationReason ?? ""),
            _ => new ActiveCart(currency, items),
        };
        return new CartView(tenant, cartId, state, version, createdAt, updatedAt);
    }

    private sealed record ItemsDocument(
        CartItem[] Items,
        decimal Total,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? OrderId);

    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
    [JsonSerializable(typeof(ItemsDocument))]
    private sealed partial class RowJson : JsonSerializerContext;
}
