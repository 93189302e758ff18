using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Caching;
using CartGraph.Infrastructure.Notifications;

namespace CartGraph.Api.Carts;

/// <summary>
/// Recently read carts of the read model, kept while this process hears every change of it: each projected
/// change (LISTEN/NOTIFY) raises the version a cached row must have to be served, so a row is never served
/// older than what has been announced. While the listening connection is down nothing is served from here,
/// and whatever was kept is dropped when it comes back, since changes may have gone unheard meanwhile.
/// </summary>
public sealed class CartCache
{
    private readonly LruDictionary<(string Tenant, string Cart), Entry> entries;
    private readonly PostgresListener listener;

    public CartCache(PostgresListener listener, int capacity = 10_000)
    {
        this.listener = listener;
        entries = new(capacity);
        listener.Reconnected += entries.Clear;
    }

    public bool TryGet(TenantId tenant, string cartId, out CartModel cart)
    {
        if (listener.IsConnected && entries.TryGet((tenant.Value, cartId), out var entry) && entry.Cart is { } cached
            && cached.Version >= entry.Announced)
        {
            cart = cached;
            return true;
        }
        cart = null!;
        return false;
    }

    /// <summary>Keeps a row just read, unless a newer version has been announced meanwhile.</summary>
    public void Keep(CartModel cart)
    {
        if (!listener.IsConnected) return;
        entries.Update((cart.TenantId.Value, cart.CartId),
            current => current is { } entry && entry.Announced > cart.Version ? entry : new Entry(cart, current?.Announced ?? 0));
    }

    /// <summary>The projection announced a new version of a cart (or its removal): older rows are no longer served.</summary>
    public void Announced(string tenant, string cartId, long version, bool removed)
    {
        if (removed) entries.Remove((tenant, cartId));
        else entries.Update((tenant, cartId), current => new Entry(current?.Cart, Math.Max(current?.Announced ?? 0, version)));
    }

    private sealed record Entry(CartModel? Cart, long Announced);
}
