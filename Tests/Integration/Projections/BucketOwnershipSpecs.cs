namespace CartGraph.Tests.Integration.Projections;

/// <summary>
/// Two instances on a database of their own (so that no other spec's tenants change the shares): the buckets of tenants
/// spread over both, each tenant processed by one, and all move to the one left when the other stops.
/// </summary>
public sealed class BucketOwnershipSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    [Fact]
    public async Task Tenants_spread_over_two_instances_each_run_once_and_all_move_to_the_one_left_when_the_other_stops()
    {
        var tenants = Enumerable.Range(0, 8).Select(_ => StoreDatabase.NewTenant()).ToList();
        foreach (var tenant in tenants) await Carts.HandleAsync(db, tenant, "cart", Carts.Create(tenant, "cart"));
        var keys = tenants.Select(t => (Carts.Projection.Name, t.Value)).ToList();
        bool EachOnce(RunningHost a, RunningHost b) => keys.All(k => a.Host.Owned.Contains(k) ^ b.Host.Owned.Contains(k));

        var first = await RunningHost.StartAsync(db);
        await using var second = await RunningHost.StartAsync(db);
        var spread = await Eventually.Until(() => Task.FromResult(EachOnce(first, second) && keys.Any(first.Host.Owned.Contains) && keys.Any(second.Host.Owned.Contains)),
            done => done, TimeSpan.FromSeconds(10));
        Assert.True(spread, $"first runs {Named(first)}; second runs {Named(second)}");

        await first.DisposeAsync();
        var all = await Eventually.Until(() => Task.FromResult(keys.All(second.Host.Owned.Contains)), done => done, TimeSpan.FromSeconds(5));
        Assert.True(all, $"second runs {Named(second)}");

        foreach (var tenant in tenants) await Carts.HandleAsync(db, tenant, "cart", Carts.Add(tenant, "cart", "A", 1, 1));
        foreach (var tenant in tenants)
            Assert.Equal(2, (await Eventually.Until(() => Carts.ReadModelAsync(db, tenant), r => r.GetValueOrDefault("cart")?.Version == 2))["cart"].Version);

        string Named(RunningHost host) => string.Join(", ", host.Host.Owned.Where(keys.Contains).Select(k => k.Item2));
    }
}
