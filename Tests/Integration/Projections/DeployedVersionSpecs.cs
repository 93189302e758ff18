using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Projections;
using CartGraph.Infrastructure.ReadModels;

namespace CartGraph.Tests.Integration.Projections;

/// <summary>
/// A deploy that raises a projection's declared version rebuilds by itself: the new instances build the declared version
/// of the tenants they own beside the one served and switch, while the old instances keep feeding the served version and
/// build nothing.
/// </summary>
public sealed class DeployedVersionSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    private const int CartCount = 60;
    private const int Served = CartsProjection.DeclaredVersion;
    private static readonly CartsProjection Deployed = new(Served + 1);

    private async Task<TenantId> TenantWithCartsAsync()
    {
        var tenant = StoreDatabase.NewTenant();
        for (var c = 0; c < CartCount; c++)
        {
            await Carts.HandleAsync(db, tenant, $"cart-{c:000}", Carts.Create(tenant, $"cart-{c:000}"));
            await Carts.HandleAsync(db, tenant, $"cart-{c:000}", Carts.Add(tenant, $"cart-{c:000}", "A", 1, 2m));
        }
        return tenant;
    }

    private async Task<IReadOnlyList<CartView>> QueryAllAsync(TenantId tenant) =>
        (await CartPages.PageAsync(db.Postgres.Commands, tenant, CartOrder.CartId, null, 1_000, null, CancellationToken.None)).Select(p => p.Cart).ToList();

    private Task<int> ServedAsync(TenantId tenant) => ProjectionVersions.ServedAsync(db.Postgres.Commands, Carts.Projection, tenant, CancellationToken.None);

    private async Task<int[]> VersionsAsync(TenantId tenant) =>
        (await db.RowsAsync("SELECT DISTINCT projection_version FROM carts WHERE tenant_id = $1", tenant.Value)).Select(r => (int)r[0]!).ToArray();

    [Fact]
    public async Task A_host_declaring_the_next_version_rebuilds_every_tenant_by_itself_while_queries_see_every_cart()
    {
        var tenants = new List<TenantId>();
        for (var t = 0; t < 4; t++) tenants.Add(await TenantWithCartsAsync());
        await using var old = await RunningHost.StartAsync(db);
        foreach (var tenant in tenants)
            await Eventually.Until(() => QueryAllAsync(tenant), page => page.Count == CartCount && page.All(c => c.Version == 2));
        await Task.Delay(500); // the old instance, alone, builds nothing
        foreach (var tenant in tenants)
        {
            Assert.Equal(Served, await ServedAsync(tenant));
            Assert.Equal(new[] { Served }, await VersionsAsync(tenant));
        }

        var done = false;
        var queries = Task.Run(async () =>
        {
            var count = 0;
            while (!Volatile.Read(ref done))
                foreach (var tenant in tenants)
                {
                    Assert.Equal(CartCount, (await QueryAllAsync(tenant)).Count);
                    count++;
                }
            return count;
        });
        var writes = Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
                await Carts.HandleAsync(db, tenants[i % 4], $"cart-{i:000}", Carts.Add(tenants[i % 4], $"cart-{i:000}", "B", 1, 1m));
        });

        // A rolling deploy: the new instance starts beside the old one, then the old one stops.
        await using var deployed = await RunningHost.StartAsync(db, projection: Deployed);
        await Task.Delay(700);
        await old.StopAsync();
        await writes;
        foreach (var tenant in tenants)
            await Eventually.Until(() => ServedAsync(tenant), served => served == Served + 1, TimeSpan.FromSeconds(30));
        var pages = new List<IReadOnlyList<CartView>>();
        foreach (var tenant in tenants)
            pages.Add(await Eventually.Until(() => QueryAllAsync(tenant), page => page.Count(c => c.Version == 3) == 10));
        Volatile.Write(ref done, true);

        Assert.True(await queries > 0);
        Assert.All(pages, page => Assert.Equal(CartCount, page.Count));
        Assert.All(pages, page => Assert.Equal(10, page.Count(c => c.Items.Find("B").IsSome)));
        foreach (var tenant in tenants) Assert.Equal(new[] { Served + 1 }, await VersionsAsync(tenant));
    }
}
