using CartGraph.Infrastructure.Tenants;

namespace CartGraph.Tests.Integration.Projections;

/// <summary>A tenant dropped while an instance processes it: its processors stop, and a tenant of that name starts anew.</summary>
public sealed class DroppedTenantSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    [Fact]
    public async Task A_dropped_tenant_is_no_longer_processed_and_a_new_one_of_its_name_is_projected_from_its_start()
    {
        var dropped = StoreDatabase.NewTenant();
        var kept = Enumerable.Range(0, 7).Select(_ => StoreDatabase.NewTenant()).ToList();
        foreach (var tenant in kept.Prepend(dropped)) await Carts.HandleAsync(db, tenant, "cart", Carts.Create(tenant, "cart"));
        await using var host = await RunningHost.StartAsync(db);
        var key = (Carts.Projection.Name, dropped.Value);
        var keptKeys = kept.Select(t => (Carts.Projection.Name, t.Value)).ToList();
        await Eventually.Until(() => Carts.ReadModelAsync(db, dropped), rows => rows.Count == 1);
        Assert.Contains(key, host.Host.Owned);

        Assert.True((await new TenantDrop(db.Postgres, [Carts.Projection]).DropAsync(dropped)).IsRight);

        // Every other tenant is still processed, and the dropped one is not: not polled, not holding a share of the work.
        var owned = await Eventually.Until(() => Task.FromResult(host.Host.Owned), o => !o.Contains(key) && keptKeys.All(o.Contains),
            TimeSpan.FromSeconds(15));
        Assert.DoesNotContain(key, owned);
        Assert.All(keptKeys, k => Assert.Contains(k, owned));
        Assert.DoesNotContain(host.Status.Processors, p => p.Tenant == dropped.Value);

        // The same name again is a new, empty tenant: projected from its start, its old cart gone for good.
        await Carts.HandleAsync(db, dropped, "again", Carts.Create(dropped, "again"));
        var rows = await Eventually.Until(() => Carts.ReadModelAsync(db, dropped), r => r.ContainsKey("again"));
        Assert.Equal(["again"], rows.Keys);
        Assert.Contains(key, host.Host.Owned);
    }
}
