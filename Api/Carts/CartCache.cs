using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Caching;
using CartGraph.Infrastructure.Notifications;

namespace CartGraph.Api.Carts;

/// <summary>
/// Recently read carts of the read model, kept while this process hears every change of it: each projected
/// change (LISTEN/NOTIFY) raises the version a cached row must have to be served, so a row is never served
/// older than what has been announced. While the listening connection is down nothing is served from here,
/// and whatever was kept is dropped when it comes back, since changes may have gone unheard meanwhile.
/// Bounded in bytes: an entry costs its cart (<see cref="CartFootprint"/>), its ids and the dictionary's share; past the
/// budget the least recently used go.
/// </summary>
public sealed class CartCache
{
    private readonly LruDictionary<(string Tenant, string Cart), Entry> entries;
    private readonly PostgresListener listener;

    public CartCache(PostgresListener listener, long? budget = null)
    {
        this.listener = listener;
        entries = new(budget ?? CacheBudget.Default,
            (key, entry) => Footprint.String(key.Tenant) + Footprint.String(key.Cart) + (entry.Cart is { } cart ? CartFootprint.Of(cart) : 0));
        listener.Reconnected += entries.Clear;
    }

    public long Budget => entries.Budget;

    public int Count => entries.Count;

    /// <summary>What the entries cost now, by their estimates.</summary>
    public long Bytes => entries.Bytes;

    public bool TryGet(TenantId tenant, string cartId, out CartView cart)
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
    public void Keep(CartView cart)
    {
        if (!listener.IsConnected) return;
        entries.Update((cart.TenantId.Value, cart.CartId),
            current => current.Announced > cart.Version ? current : new Entry(cart, current.Announced));
    }

    /// <summary>The projection announced a new version of a cart (or its removal): older rows are no longer served.</summary>
    public void Announced(string tenant, string cartId, long version, bool removed)
    {
        if (removed) entries.Remove((tenant, cartId));
        else entries.Update((tenant, cartId), current => new Entry(current.Cart, Math.Max(current.Announced, version)));
    }

    /// <summary>Another version of a read model is served for some tenant: rows kept of the version before are not served.</summary>
    /// <remarks>A switch is rare; the whole cache starts over rather than walking it for the tenant's entries.</remarks>
    public void Switched() => entries.Clear();

    /// <summary>A kept cart (none when only its announcement was heard) and the version announced last; default: nothing.</summary>
    private readonly record struct Entry(CartView? Cart, long Announced);
}
