using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Tests.Specification;
using static CartGraph.Domain.Carts.CartEvent;

namespace CartGraph.Tests.Unit.Carts;

/// <summary>The cart decider's specification helper, with short builders for commands and events.</summary>
internal static class CartSpec
{
    public const string Tenant = "acme";
    public const string CartId = "cart-1";

    public static readonly DeciderSpecification<CartCommand, CartEvent, CartState, CartError> Spec = new(Cart.Decider);

    public static DeciderSpecification<CartCommand, CartEvent, CartState, CartError>.WhenStep Given(
        params CartEvent[] events) => Spec.Given(events);

    // Events
    public static CartCreated Created(string currency = "USD") => new(currency);

    public static ItemAddedToCart Added(string sku, int quantity, decimal unitPrice, string? name = null) =>
        new(new CartItem(sku, name ?? $"Item {sku}", quantity, unitPrice));

    public static ItemRemovedFromCart Removed(string sku, int quantity) => new(sku, quantity);

    public static CartCheckedOut CheckedOut(string orderId, decimal total) => new(orderId, total);

    public static CartCancelled Cancelled(string reason) => new(reason);

    // Commands, built through the same smart constructors the API uses.
    public static CartCommand Create(string currency = "USD") =>
        Valid(CartCommands.CreateCart(Tenant, CartId, currency));

    public static CartCommand AddItem(string sku, int quantity, decimal unitPrice, string? name = null) =>
        Valid(CartCommands.AddItemToCart(Tenant, CartId, sku, name ?? $"Item {sku}", quantity, unitPrice));

    public static CartCommand RemoveItem(string sku, int quantity) =>
        Valid(CartCommands.RemoveItemFromCart(Tenant, CartId, sku, quantity));

    public static CartCommand Empty() => Valid(CartCommands.EmptyCart(Tenant, CartId));

    public static CartCommand CheckOut(string orderId = "order-1", decimal? total = null) =>
        Valid(CartCommands.CheckOutCart(Tenant, CartId, orderId, total));

    public static CartCommand Cancel(string reason = "changed my mind") =>
        Valid(CartCommands.CancelCart(Tenant, CartId, reason));

    public static CartCommand Valid(LanguageExt.Validation<InvalidInput, CartCommand> command) =>
        command.Match(c => c, errors => throw new ArgumentException(string.Join("; ", errors.Map(e => e.Message))));
}
