using System.Text.Json;
using System.Text.Json.Serialization;
using static CartGraph.Domain.Carts.CartState;

namespace CartGraph.Domain.Carts;

/// <summary>
/// A cart view as the <c>carts</c> table stores it: plain columns, with <c>items_json</c> in the seed's shape
/// <c>{"items": [...], "total": 40, "orderId": "..."}</c>.
/// NOTE: a storage contract read by other services; change it with a migration, not an edit.
/// </summary>
public sealed record CartViewRow(
    string CartId,
    string Status,
    string Currency,
    string ItemsJson,
    string? CancellationReason,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public static partial class CartViewRows
{
    /// <summary>The seed's status names.</summary>
    public static string StatusName(CartStatus status) => status switch
    {
        CartStatus.CheckedOut => "checkedOut",
        CartStatus.Cancelled => "cancelled",
        _ => "active",
    };

    public static CartViewRow ToRow(CartView view) => new(
        view.CartId,
        StatusName(view.Status),
        view.Currency,
        JsonSerializer.Serialize(
            new ItemsDocument(view.Items.Lines.ToArray(), view.Total, view.OrderId.MatchUnsafe(id => id, () => null)),
            ViewJson.Default.ItemsDocument),
        view.CancellationReason.MatchUnsafe(reason => reason, () => null),
        view.Version,
        view.CreatedAt,
        view.UpdatedAt);

    public static CartView FromRow(CartViewRow row)
    {
        var document = JsonSerializer.Deserialize(row.ItemsJson, ViewJson.Default.ItemsDocument)
            ?? throw new JsonException($"items_json of cart '{row.CartId}' is null.");
        var items = document.Items.Length == 0 ? CartItems.Empty : new CartItems(document.Items);
        CartState state = row.Status switch
        {
            "checkedOut" => new CheckedOutCart(row.Currency, items, document.OrderId ?? "", document.Total),
            "cancelled" => new CancelledCart(row.Currency, items, row.CancellationReason ?? ""),
            _ => new ActiveCart(row.Currency, items),
        };
        return new CartView(row.CartId, state, row.Version, row.CreatedAt, row.UpdatedAt);
    }

    private sealed record ItemsDocument(
        CartItem[] Items,
        decimal Total,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? OrderId);

    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
    [JsonSerializable(typeof(ItemsDocument))]
    private sealed partial class ViewJson : JsonSerializerContext;
}
