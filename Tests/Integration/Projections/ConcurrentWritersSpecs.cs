using CartGraph.Domain.Carts;

namespace CartGraph.Tests.Integration.Projections;

/// <summary>Eight writers append while the processor runs: afterwards the read model is the fold of every stream.</summary>
public sealed class ConcurrentWritersSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    private const int Writers = 8;
    private const int EventsPerWriter = 2_000;
    private const int CartCount = 200;

    [Fact]
    public async Task Every_event_is_applied_once_and_none_is_missing()
    {
        var tenant = StoreDatabase.NewTenant();
        await using var host = await RunningHost.StartAsync(db);
        for (var c = 0; c < CartCount; c++) await Carts.HandleAsync(db, tenant, $"cart-{c:000}", Carts.Create(tenant, $"cart-{c:000}"));

        // Each writer adds units to random carts; quantities make a double or a missing event visible.
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            var random = new Random(writer);
            for (var i = 0; i < EventsPerWriter; i++)
            {
                var cart = $"cart-{random.Next(CartCount):000}";
                await Carts.HandleAsync(db, tenant, cart, Carts.Add(tenant, cart, $"SKU-{random.Next(5)}", 1, 2));
            }
        })));

        var expected = new Dictionary<string, (CartState State, long Version)>();
        for (var c = 0; c < CartCount; c++) expected[$"cart-{c:000}"] = await Carts.FoldAsync(db, tenant, $"cart-{c:000}");
        Assert.Equal(CartCount + Writers * EventsPerWriter, expected.Values.Sum(e => e.Version));

        var readModel = await Eventually.Until(() => Carts.ReadModelAsync(db, tenant),
            rows => rows.Count == CartCount && expected.All(e => rows[e.Key].Version == e.Value.Version), TimeSpan.FromSeconds(60));
        Assert.Equal(CartCount, readModel.Count);
        foreach (var (cartId, (state, version)) in expected)
        {
            Assert.Equal(version, readModel[cartId].Version);
            Assert.Equal(state, readModel[cartId].State);
        }
        var bookmarks = await db.RowsAsync(
            "SELECT count(*), sum(last_processed_position) FROM emt_subscriptions WHERE partition = $1 AND subscription_id LIKE 'carts-read-model:%'",
            tenant.Value);
        Assert.Equal([(long)CartCount, (decimal)(CartCount + Writers * EventsPerWriter)], bookmarks.Single());
    }
}
