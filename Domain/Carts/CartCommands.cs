using CartGraph.Domain.Values;
using LanguageExt;
using static CartGraph.Domain.Carts.CartCommand;
using static LanguageExt.Prelude;

namespace CartGraph.Domain.Carts;

/// <summary>
/// Smart constructors from raw input to commands. Every problem is reported at once, each naming its field.
/// </summary>
public static class CartCommands
{
    public static Validation<InvalidInput, CartCommand> CreateCart(string? tenantId, string? cartId, string? currency) =>
        (TenantId.Create(tenantId), CartId.Create(cartId), Currency.Create(currency))
            .Apply(CartCommand (t, c, cur) => new CreateCart(t, c, cur));

    public static Validation<InvalidInput, CartCommand> AddItemToCart(
        string? tenantId, string? cartId, string? sku, string? name, long quantity, decimal unitPrice) =>
        (TenantId.Create(tenantId), CartId.Create(cartId),
                Sku.Create(sku, "item.sku"), ItemName.Create(name, "item.name"),
                Quantity.Create(quantity, "item.quantity"), Money.UnitPrice(unitPrice, "item.unitPrice"))
            .Apply(CartCommand (t, c, s, n, q, p) => new AddItemToCart(t, c, new ItemToAdd(s, n, q, p)));

    public static Validation<InvalidInput, CartCommand> RemoveItemFromCart(
        string? tenantId, string? cartId, string? sku, long quantity) =>
        (TenantId.Create(tenantId), CartId.Create(cartId), Sku.Create(sku), Quantity.Create(quantity))
            .Apply(CartCommand (t, c, s, q) => new RemoveItemFromCart(t, c, s, q));

    public static Validation<InvalidInput, CartCommand> EmptyCart(string? tenantId, string? cartId) =>
        (TenantId.Create(tenantId), CartId.Create(cartId))
            .Apply(CartCommand (t, c) => new EmptyCart(t, c));

    /// <param name="orderId">The order id to record; the caller supplies a new one when the client gave none.</param>
    public static Validation<InvalidInput, CartCommand> CheckOutCart(
        string? tenantId, string? cartId, string? orderId, decimal? total) =>
        (TenantId.Create(tenantId), CartId.Create(cartId), OrderId.Create(orderId), OptionalMoney(total, "total"))
            .Apply(CartCommand (t, c, o, tot) => new CheckOutCart(t, c, o, tot));

    public static Validation<InvalidInput, CartCommand> CancelCart(string? tenantId, string? cartId, string? reason) =>
        (TenantId.Create(tenantId), CartId.Create(cartId), CancellationReason.Create(reason))
            .Apply(CartCommand (t, c, r) => new CancelCart(t, c, r));

    private static Validation<InvalidInput, Option<Money>> OptionalMoney(decimal? raw, string field) =>
        raw is { } amount
            ? Money.Total(amount, field).Map(Some)
            : Success<InvalidInput, Option<Money>>(None);
}
