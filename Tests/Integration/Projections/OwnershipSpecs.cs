namespace CartGraph.Tests.Integration.Projections;

/// <summary>Two instances on one database: exactly one processes a (projection, tenant); the other takes over when it stops.</summary>
public sealed class OwnershipSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    [Fact]
    public async Task Only_one_instance_works_and_the_other_takes_over_within_seconds()
    {
        var tenant = StoreDatabase.NewTenant();
        await Carts.HandleAsync(db, tenant, "cart", Carts.Create(tenant, "cart"));
        var key = (Carts.Projection.Name, tenant.Value);

        var first = await RunningHost.StartAsync(db);
        await Eventually.Until(() => Task.FromResult(first.Host.Owned), owned => owned.Contains(key));
        await using var second = await RunningHost.StartAsync(db);
        await Task.Delay(1_000); // several ownership rounds of the second instance
        Assert.Contains(key, first.Host.Owned);
        Assert.DoesNotContain(key, second.Host.Owned);

        await first.DisposeAsync();
        var tookOver = await Eventually.Until(() => Task.FromResult(second.Host.Owned), owned => owned.Contains(key), TimeSpan.FromSeconds(5));
        Assert.Contains(key, tookOver);

        await Carts.HandleAsync(db, tenant, "cart", Carts.Add(tenant, "cart", "A", 1, 1));
        var rows = await Eventually.Until(() => Carts.ReadModelAsync(db, tenant), r => r.TryGetValue("cart", out var c) && c.Version == 2);
        Assert.Equal(2, rows["cart"].Version);
    }

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
