using static CartGraph.Domain.Carts.CartState;

namespace CartGraph.Domain.Carts;

/// <summary>
/// The states of a cart, each holding only what is valid in it.
/// NOTE: the seed lists tenantId and cartId on every state; they are the stream's identity, which every
/// caller already holds, and no event carries them, so the states do not repeat them.
/// </summary>
public abstract record CartState
{
    private CartState() { }

    public sealed record InitCart : CartState
    {
        public static readonly InitCart Instance = new();
    }

    public sealed record ActiveCart(string Currency, CartItems Items) : CartState;

    public sealed record CheckedOutCart(string Currency, CartItems Items, string OrderId, decimal Total) : CartState;

    public sealed record CancelledCart(string Currency, CartItems Items, string Reason) : CartState;
}

/// <summary>What every state holds alike, read in one place whatever the state.</summary>
public static class CartStates
{
    /// <summary>The currency and the lines of a created cart, whether active or closed; none before it is created.</summary>
    public static (string Currency, CartItems Items) Contents(CartState state) => state switch
    {
        ActiveCart cart => (cart.Currency, cart.Items),
        CheckedOutCart cart => (cart.Currency, cart.Items),
        CancelledCart cart => (cart.Currency, cart.Items),
        _ => ("", CartItems.Empty),
    };

    /// <summary>Where the cart is in its life, as read models and clients name it.</summary>
    public static CartStatus Status(CartState state) => state switch
    {
        CheckedOutCart => CartStatus.CheckedOut,
        CancelledCart => CartStatus.Cancelled,
        _ => CartStatus.Active,
    };
}
