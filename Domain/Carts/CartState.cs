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
