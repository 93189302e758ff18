using CartGraph.Api.Carts;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.CommandHandling;
using CartGraph.Infrastructure.Notifications;
using CartGraph.Infrastructure.ReadModels;
using CartGraph.Infrastructure.Projections;
using static CartGraph.Domain.Carts.CartEvent;

namespace CartGraph.Benchmarks.Suites;

/// <summary>
/// What one entry of each cache costs: measured on the GC heap (a full collection before and after filling a cache
/// with 10 000 carts of 5 lines, as the soak leaves them), and as the cache itself counts it against its budget.
/// </summary>
internal static class CacheEntryCost
{
    private const int Entries = 10_000;
    private const int Lines = 5;
    private static readonly TenantId Tenant = TenantId.Parse("soak");

    public static async Task<IReadOnlyList<Figure>> MeasureAsync(BenchContext context)
    {
        Progress.Say($"  what a cache entry costs: {Entries:N0} carts of {Lines} lines in each cache ...");
        var aggregates = Measure(() => new AggregateCache(budget: 1L << 30), (cache, i) =>
        {
            var state = Cart.Decider.Fold(History(i));
            cache.Set(Cart.StreamType, TenantId.Parse(Copy(Tenant.Value)), CartId(i), state, 30, CartFootprint.Of(state));
        }, cache => cache.Bytes);

        using var listener = new PostgresListener(context.Database, ProjectionChannels.All);
        await listener.StartAsync(CancellationToken.None);
        while (!listener.IsConnected) await Task.Delay(20);
        var reads = Measure(() => new CartCache(listener, budget: 1L << 30), (cache, i) =>
        {
            // As the read model returns it: every text parsed anew from the row.
            var view = new CartView(Tenant, CartId(i), Cart.Decider.Fold(History(i)), 30, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
            cache.Keep(CartRows.View(TenantId.Parse(Copy(Tenant.Value)), Copy(view.CartId), CartRows.StatusName(view.Status),
                Copy(view.Currency), CartRows.ItemsJson(view), CartRows.CancellationReason(view), view.Version,
                view.CreatedAt!.Value, view.UpdatedAt!.Value));
        }, cache => cache.Bytes);
        await listener.StopAsync(CancellationToken.None);

        return
        [
            new("cache_aggregate_entry_bytes", $"aggregate cache, one {Lines}-line cart, measured", aggregates.Measured, "bytes", "GC heap after a full collection"),
            new("cache_aggregate_entry_estimate_bytes", $"aggregate cache, one {Lines}-line cart, counted", aggregates.Counted, "bytes", "what the budget counts"),
            new("cache_cart_entry_bytes", $"cart read cache, one {Lines}-line cart, measured", reads.Measured, "bytes", "GC heap after a full collection"),
            new("cache_cart_entry_estimate_bytes", $"cart read cache, one {Lines}-line cart, counted", reads.Counted, "bytes", "what the budget counts"),
        ];
    }

    private static (double Measured, double Counted) Measure<TCache>(Func<TCache> create, Action<TCache, int> fill, Func<TCache, long> counted)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var cache = create();
        for (var i = 0; i < Entries; i++) fill(cache, i);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var result = ((after - before) / (double)Entries, counted(cache) / (double)Entries);
        GC.KeepAlive(cache);
        return result;
    }

    /// <summary>30 events, as the soak's mutations leave a cart: created, each sku added several times, some removed.</summary>
    private static IEnumerable<CartEvent> History(int cart)
    {
        yield return new CartCreated(Copy("USD"));
        for (var round = 0; round < 29; round++)
        {
            var sku = round % Lines;
            yield return round % 4 == 3
                ? new ItemRemovedFromCart(Copy($"SKU-{(round - 1) % Lines}"), 1)
                : new ItemAddedToCart(new CartItem(Copy($"SKU-{sku}"), Copy($"Item {sku}"), 1, 9.99m + sku));
        }
    }

    private static string CartId(int i) => $"soak-{i:D5}";

    /// <summary>A string of its own, as a request or a row gives it, never an interned literal.</summary>
    private static string Copy(string text) => new(text.AsSpan());
}
