using CartGraph.Infrastructure.Tenants;

namespace CartGraph.Tests.Integration.Projections;

/// <summary>A tenant dropped while an instance processes it: its processors stop, and a tenant of that name starts anew.</summary>
public sealed class DroppedTenantSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    [Fact]
    public async Task A_dropped_tenant_is_no_longer_processed_and_a_new_one_of_its_name_is_projected_from_its_start()
    {
        var (dropped, kept) = (StoreDatabase.NewTenant(), StoreDatabase.NewTenant());
        foreach (var tenant in new[] { dropped, kept }) await Carts.HandleAsync(db, tenant, "cart", Carts.Create(tenant, "cart"));
        await using var host = await RunningHost.StartAsync(db);
        var key = (Carts.Projection.Name, dropped.Value);
        await Eventually.Until(() => Carts.ReadModelAsync(db, dropped), rows => rows.Count == 1);
        Assert.Contains(key, host.Host.Owned);

        Assert.True((await new TenantDrop(db.Postgres, [Carts.Projection]).DropAsync(dropped)).IsRight);

        var owned = await Eventually.Until(() => Task.FromResult(host.Host.Owned), o => !o.Contains(key), TimeSpan.FromSeconds(15));
        Assert.DoesNotContain(key, owned);
        Assert.DoesNotContain(host.Status.Processors, p => p.Tenant == dropped.Value);
        Assert.Contains((Carts.Projection.Name, kept.Value), owned);

        // The same name again is a new, empty tenant: projected from its start, its old cart gone for good.
        await Carts.HandleAsync(db, dropped, "again", Carts.Create(dropped, "again"));
        var rows = await Eventually.Until(() => Carts.ReadModelAsync(db, dropped), r => r.ContainsKey("again"));
        Assert.Equal(["again"], rows.Keys);
        Assert.Contains(key, host.Host.Owned);
    }
}
