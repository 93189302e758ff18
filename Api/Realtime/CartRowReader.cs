using CartGraph.Api.Carts;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;

namespace CartGraph.Api.Realtime;

/// <summary>The one reader of a cart's row in this instance, for every <c>cartChanged</c> of that cart.</summary>
internal sealed class CartRowReader(CartReads reads, TenantId tenant, string cartId, ILogger logger) : FeedReader<CartView>(logger)
{
    protected override async Task ReadAsync(Action<string, CartView> offer)
    {
        if (await reads.GetAsync(tenant, cartId, CancellationToken.None) is { } cart) offer(cartId, cart);
    }
}
