using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.ReadModels;

namespace CartGraph.Api.Carts;

/// <summary>What queries read: the carts read model, never the event streams (but for a cart's history).</summary>
public sealed class CartReads(PostgresDatabase database, Infrastructure.EventStore.EventStore store, CartCache cache)
{
    public async Task<CartView?> GetAsync(TenantId tenant, string cartId, CancellationToken cancellationToken)
    {
        if (cache.TryGet(tenant, cartId, out var cached)) return cached;
        if (await CartsTable.GetAsync(database.Commands, tenant, cartId, cancellationToken) is not { } cart) return null;
        cache.Keep(cart);
        return cart;
    }

    /// <summary>A keyset page in cart id order, and whether more follow.</summary>
    public async Task<(IReadOnlyList<CartView> Carts, bool HasMore)> PageAsync(
        TenantId tenant, string? afterCartId, int first, CartStatus? status, CancellationToken cancellationToken)
    {
        var carts = await CartsTable.PageAsync(database.Commands, tenant, afterCartId, first, status, cancellationToken);
        return (carts.Take(first).ToList(), carts.Count > first);
    }

    public async Task<IReadOnlyList<CartEventModel>> HistoryAsync(
        TenantId tenant, string cartId, long fromPosition, CancellationToken cancellationToken) =>
        (await store.ReadStreamAsync(tenant, cartId, fromPosition, cancellationToken: cancellationToken))
            .Select(CartEventModel.From).ToList();
}
