using CartGraph.Domain.Values;
using LanguageExt;

namespace CartGraph.Domain.Carts;

/// <summary>What a client asks of a cart. Built only from validated values (see <see cref="CartCommands"/>).</summary>
public abstract record CartCommand
{
    private CartCommand() { }

    public abstract TenantId TenantId { get; init; }
    public abstract CartId CartId { get; init; }

    public sealed record CreateCart(TenantId TenantId, CartId CartId, Currency Currency) : CartCommand;

    public sealed record AddItemToCart(TenantId TenantId, CartId CartId, ItemToAdd Item) : CartCommand;

    public sealed record RemoveItemFromCart(TenantId TenantId, CartId CartId, Sku Sku, Quantity Quantity)
        : CartCommand;

    public sealed record EmptyCart(TenantId TenantId, CartId CartId) : CartCommand;

    /// <summary>The order id is chosen by the caller; a total, when given, must match the cart's.</summary>
    public sealed record CheckOutCart(TenantId TenantId, CartId CartId, OrderId OrderId, Option<Money> Total)
        : CartCommand;

    public sealed record CancelCart(TenantId TenantId, CartId CartId, CancellationReason Reason) : CartCommand;
}

/// <summary>An item as a client adds it: every part already validated.</summary>
public sealed record ItemToAdd(Sku Sku, ItemName Name, Quantity Quantity, Money UnitPrice);
