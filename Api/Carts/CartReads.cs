using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.Projections;
using CartGraph.Infrastructure.ReadModels;

namespace CartGraph.Api.Carts;

/// <summary>What queries read: the carts read model, never the event streams (<see cref="CartTimeline"/> reads those).</summary>
public sealed class CartReads(PostgresDatabase database, CartCache cache)
{
    public async Task<CartView?> GetAsync(TenantId tenant, string cartId, CancellationToken cancellationToken)
    {
        if (cache.TryGet(tenant, cartId, out var cached)) return cached;
        if (await CartsTable.GetAsync(database.Commands, tenant, cartId, cancellationToken) is not { } cart) return null;
        cache.Keep(cart);
        return cart;
    }

    /// <summary>
    /// A keyset page in that order, and whether more follow; null when the version of the read model served does not
    /// have what the order sorts by yet (a rebuild builds it).
    /// </summary>
    public async Task<(IReadOnlyList<(CartView Cart, CartPosition Position)> Carts, bool HasMore)?> PageAsync(
        TenantId tenant, CartOrder order, CartPosition? after, int first, CartStatus? status, CancellationToken cancellationToken)
    {
        if (CartPages.NeedsVersion(order) > 1
            && await ProjectionVersions.ServedAsync(database.Commands, new CartsProjection(), tenant, cancellationToken) < CartPages.NeedsVersion(order))
            return null;
        var carts = await CartPages.PageAsync(database.Commands, tenant, order, after, first, status, cancellationToken);
        return (carts.Take(first).ToList(), carts.Count > first);
    }
}
