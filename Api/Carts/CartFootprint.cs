using CartGraph.Domain.Carts;
using CartGraph.Infrastructure.Caching;
using static CartGraph.Domain.Carts.CartState;
using static CartGraph.Infrastructure.Caching.Footprint;

namespace CartGraph.Api.Carts;

/// <summary>
/// What a cart keeps alive in memory, estimated from its lines and texts, for the byte budgets of the aggregate cache
/// and the cart read cache. The soak benchmark compares these estimates with the GC's own count (Benchmarks/README.md).
/// </summary>
public static class CartFootprint
{
    /// <summary>language-ext's strict <c>Seq</c> object around the lines' array (its array counted apart).</summary>
    private const int SeqObject = 48;

    /// <summary>A state: the record, its texts and its lines. The initial state is one instance shared by all.</summary>
    public static long Of(CartState state) => state switch
    {
        ActiveCart cart => Object(2 * Reference) + String(cart.Currency) + Lines(cart.Items),
        CheckedOutCart cart => Object(3 * Reference + sizeof(decimal)) + String(cart.Currency) + Lines(cart.Items) + String(cart.OrderId),
        CancelledCart cart => Object(3 * Reference) + String(cart.Currency) + Lines(cart.Items) + String(cart.Reason),
        _ => 0,
    };

    /// <summary>A cart as the read cache keeps it: the view (its identity, version and times) and its state.</summary>
    public static long Of(CartView cart) =>
        Object(3 * Reference + sizeof(long) + 2 * NullableTimestamp)
        + Object(Reference) + String(cart.TenantId.Value)
        + String(cart.CartId)
        + Of(cart.State);

    /// <summary>A <c>DateTimeOffset?</c>: its 16 bytes and the flag, aligned.</summary>
    private const int NullableTimestamp = 24;

    private static long Lines(CartItems items) =>
        items.IsEmpty
            ? 0
            : Object(Reference) + SeqObject + Array(items.Lines.Count)
              + items.Lines.Sum(line => Object(2 * Reference + sizeof(int) + sizeof(decimal)) + String(line.Sku) + String(line.Name));
}
