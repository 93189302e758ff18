using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Projections;
using CartGraph.Infrastructure.ReadModels;
using Microsoft.Extensions.Logging.Abstractions;

namespace CartGraph.Tests.Integration.Projections;

/// <summary>
/// A rebuild builds the next version beside the one served, and switches when it has caught up: every query meanwhile
/// sees every cart at its latest version or a later one, writes go on, and the old version's rows and cursor go.
/// </summary>
public sealed class BlueGreenRebuildSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    private const int CartCount = 150;

    private async Task<TenantId> TenantWithCartsAsync()
    {
        var tenant = StoreDatabase.NewTenant();
        for (var c = 0; c < CartCount; c++)
        {
            await Carts.HandleAsync(db, tenant, $"cart-{c:000}", Carts.Create(tenant, $"cart-{c:000}"));
            await Carts.HandleAsync(db, tenant, $"cart-{c:000}", Carts.Add(tenant, $"cart-{c:000}", "A", 1, 2m));
            await Carts.HandleAsync(db, tenant, $"cart-{c:000}", Carts.Add(tenant, $"cart-{c:000}", "B", 2, 3m));
        }
        return tenant;
    }

    private async Task<IReadOnlyList<CartView>> QueryAllAsync(TenantId tenant) =>
        (await CartPages.PageAsync(db.Postgres.Commands, tenant, CartOrder.CartId, null, 1_000, null, CancellationToken.None)).Select(p => p.Cart).ToList();

    private async Task<int[]> VersionsAsync(TenantId tenant) =>
        (await db.RowsAsync("SELECT DISTINCT projection_version FROM carts WHERE tenant_id = $1", tenant.Value)).Select(r => (int)r[0]!).ToArray();

    /// <summary>Queries in a loop until told to stop; fails on the first page that misses a cart or shows one older than before.</summary>
    private async Task<int> QueryUntilAsync(TenantId tenant, Func<bool> stop, Dictionary<string, long> seen)
    {
        var queries = 0;
        while (!stop())
        {
            var page = await QueryAllAsync(tenant);
            queries++;
            Assert.Equal(CartCount, page.Count);
            foreach (var cart in page)
            {
                Assert.True(cart.Version >= seen.GetValueOrDefault(cart.CartId),
                    $"{cart.CartId} went back from version {seen.GetValueOrDefault(cart.CartId)} to {cart.Version}");
                seen[cart.CartId] = cart.Version;
            }
        }
        return queries;
    }

    [Fact]
    public async Task Every_query_during_the_rebuild_of_a_quiet_tenant_sees_every_cart_and_the_next_version_is_served()
    {
        var tenant = await TenantWithCartsAsync();
        await using var host = await RunningHost.StartAsync(db);
        await Eventually.Until(() => QueryAllAsync(tenant), page => page.Count == CartCount && page.All(c => c.Version == 3));
        var before = await QueryAllAsync(tenant);
        var served = await ProjectionVersions.ServedAsync(db.Postgres.Commands, Carts.Projection, tenant, CancellationToken.None);

        var done = false;
        var seen = new Dictionary<string, long>();
        var queries = QueryUntilAsync(tenant, () => Volatile.Read(ref done), seen);
        await new ProjectionRebuild(db.Postgres, new ProjectionOptions { BatchSize = 40 }, NullLoggerFactory.Instance)
            .RunAsync(Carts.Projection, [tenant], new Progress<RebuildProgress>()).WaitAsync(TimeSpan.FromSeconds(30));
        Volatile.Write(ref done, true);

        Assert.True(await queries > 0);
        Assert.Equal(served + 1, await ProjectionVersions.ServedAsync(db.Postgres.Commands, Carts.Projection, tenant, CancellationToken.None));
        Assert.Equal([served + 1], await VersionsAsync(tenant));
        Assert.Equal(before, await QueryAllAsync(tenant));
        Assert.Equal(0L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM emt_subscriptions WHERE partition = $1 AND version = $2", tenant.Value, served));
    }

    [Fact]
    public async Task Writes_during_the_rebuild_are_all_in_the_version_served_after_the_switch()
    {
        var tenant = await TenantWithCartsAsync();
        await using var host = await RunningHost.StartAsync(db);
        await Eventually.Until(() => QueryAllAsync(tenant), page => page.Count == CartCount && page.All(c => c.Version == 3));

        var done = false;
        var seen = new Dictionary<string, long>();
        var queries = QueryUntilAsync(tenant, () => Volatile.Read(ref done), seen);
        var writes = Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++) await Carts.HandleAsync(db, tenant, $"cart-{i % 50:000}", Carts.Add(tenant, $"cart-{i % 50:000}", "C", 1, 1m));
        });
        await new ProjectionRebuild(db.Postgres, new ProjectionOptions { BatchSize = 40 }, NullLoggerFactory.Instance)
            .RunAsync(Carts.Projection, [tenant], new Progress<RebuildProgress>()).WaitAsync(TimeSpan.FromSeconds(30));
        await writes;
        var rows = await Eventually.Until(() => QueryAllAsync(tenant),
            page => page.Count(c => c.Version == 5) == 50 && page.Count(c => c.Version == 3) == CartCount - 50);
        Volatile.Write(ref done, true);
        await queries;

        Assert.All(rows.Take(50), cart => Assert.Equal(2, cart.Items.Find("C").Map(l => l.Quantity).IfNone(0)));
        Assert.Single(await VersionsAsync(tenant));
    }

    [Fact]
    public async Task Two_instances_serve_and_project_the_new_version_once_switched()
    {
        var tenant = await TenantWithCartsAsync();
        await using var one = await RunningHost.StartAsync(db);
        await using var two = await RunningHost.StartAsync(db);
        await Eventually.Until(() => QueryAllAsync(tenant), page => page.Count == CartCount && page.All(c => c.Version == 3));
        var served = await ProjectionVersions.ServedAsync(db.Postgres.Commands, Carts.Projection, tenant, CancellationToken.None);

        await new ProjectionRebuild(db.Postgres, new ProjectionOptions { BatchSize = 100 }, NullLoggerFactory.Instance)
            .RunAsync(Carts.Projection, [tenant], new Progress<RebuildProgress>()).WaitAsync(TimeSpan.FromSeconds(30));
        await Carts.HandleAsync(db, tenant, "cart-000", Carts.Add(tenant, "cart-000", "D", 1, 1m));

        var page = await Eventually.Until(() => QueryAllAsync(tenant), p => p.Single(c => c.CartId == "cart-000").Version == 4);
        Assert.Equal(CartCount, page.Count);
        Assert.Equal([served + 1], await VersionsAsync(tenant));
        Assert.Equal(served + 1, await ProjectionVersions.ServedAsync(db.Postgres.Commands, Carts.Projection, tenant, CancellationToken.None));
    }
}
