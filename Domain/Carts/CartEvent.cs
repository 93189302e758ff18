namespace CartGraph.Domain.Carts;

/// <summary>
/// What happened to a cart.
/// NOTE: these are storage contracts, shared with every reader of the event store: names and camelCase
/// JSON exactly as the seed shows them. A change means a new schema version and an upcaster, not an edit.
/// </summary>
public abstract record CartEvent
{
    private CartEvent() { }

    public sealed record CartCreated(string Currency) : CartEvent;

    public sealed record ItemAddedToCart(CartItem Item) : CartEvent;

    public sealed record ItemRemovedFromCart(string Sku, int Quantity) : CartEvent;

    public sealed record CartEmptied : CartEvent;

    public sealed record CartCheckedOut(string OrderId, decimal Total) : CartEvent;

    public sealed record CartCancelled(string Reason) : CartEvent;
}
