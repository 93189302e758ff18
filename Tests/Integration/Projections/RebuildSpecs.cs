using CartGraph.Infrastructure.Projections;
using CartGraph.Infrastructure.ReadModels;
using Microsoft.Extensions.Logging.Abstractions;

namespace CartGraph.Tests.Integration.Projections;

public sealed class RebuildSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    private static async Task<List<object?[]>> Rows(StoreDatabase db, string tenant) =>
        await db.RowsAsync(
            "SELECT cart_id, status, currency, items_json::text, cancellation_reason, version, created_at, updated_at FROM carts WHERE tenant_id = $1 ORDER BY cart_id",
            tenant);

    private sealed class Recorded : IProgress<RebuildProgress>
    {
        public List<RebuildProgress> Reports { get; } = [];
        public void Report(RebuildProgress value) { lock (Reports) Reports.Add(value); }
    }

    [Fact]
    public async Task Rebuilding_from_scratch_gives_the_same_rows_as_live_processing()
    {
        var tenant = StoreDatabase.NewTenant();
        for (var c = 0; c < 20; c++)
        {
            await Carts.HandleAsync(db, tenant, $"cart-{c:00}", Carts.Create(tenant, $"cart-{c:00}", c % 2 == 0 ? "USD" : "EUR"));
            await Carts.HandleAsync(db, tenant, $"cart-{c:00}", Carts.Add(tenant, $"cart-{c:00}", "A", c + 1, 1.5m));
        }
        await Carts.HandleAsync(db, tenant, "cart-03", Domain.Carts.CartCommands.CheckOutCart(tenant.Value, "cart-03", "order-3", null));
        await Carts.HandleAsync(db, tenant, "cart-04", Domain.Carts.CartCommands.CancelCart(tenant.Value, "cart-04", "changed my mind"));
        await Carts.Processor(db, tenant).CatchUpAsync();
        var live = await Rows(db, tenant.Value);

        var progress = new Recorded();
        await new ProjectionRebuild(db.Postgres, new ProjectionOptions { BatchSize = 7 }, NullLoggerFactory.Instance)
            .RunAsync(Carts.Projection, [tenant], progress);

        Assert.Equal(live, await Rows(db, tenant.Value));
        Assert.Equal(42, progress.Reports[^1].Done);
        Assert.True(progress.Reports.Count > 3, "progress is reported batch by batch");
    }

    [Fact]
    public async Task Updates_arriving_during_a_rebuild_by_the_owning_instance_are_not_lost()
    {
        var tenant = StoreDatabase.NewTenant();
        for (var c = 0; c < 30; c++) await Carts.HandleAsync(db, tenant, $"cart-{c:00}", Carts.Create(tenant, $"cart-{c:00}"));
        await using var host = await RunningHost.StartAsync(db);
        await Eventually.Until(() => Carts.ReadModelAsync(db, tenant), rows => rows.Count == 30);

        var writes = Task.Run(async () =>
        {
            for (var i = 0; i < 60; i++) await Carts.HandleAsync(db, tenant, $"cart-{i % 30:00}", Carts.Add(tenant, $"cart-{i % 30:00}", "A", 1, 1));
        });
        await new ProjectionRebuild(db.Postgres, new ProjectionOptions(), NullLoggerFactory.Instance)
            .RunAsync(Carts.Projection, [tenant], new Recorded());
        await writes;

        var rows = await Eventually.Until(() => Carts.ReadModelAsync(db, tenant),
            r => r.Count == 30 && r.Values.All(c => c.Version == 3));
        Assert.All(rows.Values, cart => Assert.Equal(2, cart.Items.Find("A").Map(l => l.Quantity).IfNone(0)));
    }

    [Fact]
    public async Task A_rebuild_of_a_quiet_tenant_that_an_instance_owns_completes_with_every_row()
    {
        var tenant = StoreDatabase.NewTenant();
        for (var c = 0; c < 20; c++)
        {
            await Carts.HandleAsync(db, tenant, $"cart-{c:00}", Carts.Create(tenant, $"cart-{c:00}"));
            await Carts.HandleAsync(db, tenant, $"cart-{c:00}", Carts.Add(tenant, $"cart-{c:00}", "A", c + 1, 1));
        }
        await using var host = await RunningHost.StartAsync(db);
        await Eventually.Until(() => Carts.ReadModelAsync(db, tenant), rows => rows.Count == 20 && rows.Values.All(r => r.Version == 2));
        var live = await Rows(db, tenant.Value);
        Assert.Contains((Carts.Projection.Name, tenant.Value), host.Host.Owned);

        // No event arrives during the rebuild: only the reset itself can tell the owner to replay.
        var progress = new Recorded();
        await new ProjectionRebuild(db.Postgres, new ProjectionOptions(), NullLoggerFactory.Instance)
            .RunAsync(Carts.Projection, [tenant], progress).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(live, await Rows(db, tenant.Value));
        Assert.Equal((40L, 40L), (progress.Reports[^1].Done, progress.Reports[^1].Total));
    }

    [Fact]
    public async Task An_owner_that_missed_the_reset_notification_notices_the_reset_at_its_next_lag_check()
    {
        var tenant = StoreDatabase.NewTenant();
        for (var c = 0; c < 5; c++) await Carts.HandleAsync(db, tenant, $"cart-{c}", Carts.Create(tenant, $"cart-{c}"));
        var options = new ProjectionOptions { OwnershipInterval = TimeSpan.FromMilliseconds(300), LagInterval = TimeSpan.FromMilliseconds(500) };
        await using var host = await RunningHost.StartAsync(db, options, hearNotifications: false);
        await Eventually.Until(() => Carts.ReadModelAsync(db, tenant), rows => rows.Count == 5);

        await new ProjectionRebuild(db.Postgres, options, NullLoggerFactory.Instance)
            .RunAsync(Carts.Projection, [tenant], new Recorded()).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(5, (await Carts.ReadModelAsync(db, tenant)).Count);
    }
}
