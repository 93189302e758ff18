using CartGraph.Infrastructure.Projections;

namespace CartGraph.Tests.Integration.Projections;

public sealed class ArchiveProjectionSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    [Fact]
    public async Task An_archived_cart_leaves_the_read_model_and_does_not_come_back()
    {
        var tenant = StoreDatabase.NewTenant();
        await Carts.HandleAsync(db, tenant, "old", Carts.Create(tenant, "old"));
        await Carts.HandleAsync(db, tenant, "kept", Carts.Create(tenant, "kept"));
        var processor = Carts.Processor(db, tenant);
        await processor.CatchUpAsync();
        await Carts.HandleAsync(db, tenant, "old", Carts.Add(tenant, "old", "A", 1, 1));

        var archived = await new StreamArchiver(db.Store, [Carts.Projection]).ArchiveAsync(tenant, "old");

        Assert.True(archived.IsRight);
        await processor.CatchUpAsync();
        var rows = await Carts.ReadModelAsync(db, tenant);
        Assert.Equal(["kept"], rows.Keys);
        Assert.Empty(await db.RowsAsync("SELECT 1 FROM emt_subscriptions WHERE subscription_id = 'carts-read-model:old'"));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM emt_messages WHERE partition = $1 AND stream_id = 'old'", tenant.Value));
    }
}
