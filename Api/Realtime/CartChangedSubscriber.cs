using CartGraph.Domain.Carts;

namespace CartGraph.Api.Realtime;

/// <summary><c>cartChanged</c>: the cart's row each time its version moves past the last one pushed.</summary>
internal sealed class CartChangedSubscriber(string cartId, int capacity)
    : FeedSubscriber<CartView>(capacity, catchesUp: false)
{
    private long lastVersion;

    /// <summary>
    /// Starts after <paramref name="afterVersion"/>, or after the cart as it is now: a cart newer than
    /// <paramref name="afterVersion"/> is pushed at once. Call it once the cart's reader offers it rows.
    /// </summary>
    public void Start(long? afterVersion, CartView? current)
    {
        lastVersion = afterVersion ?? current?.Version ?? 0;
        if (current is { } cart && cart.Version > lastVersion) Offer(cart);
    }

    public override bool Wants(string changedCartId) => changedCartId == cartId;

    public override bool EndsWith(string removedCartId) => removedCartId == cartId;

    protected override object? Admit(CartView cart)
    {
        if (cart.Version <= lastVersion) return null;
        lastVersion = cart.Version;
        return cart;
    }
}
