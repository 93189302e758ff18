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
}
