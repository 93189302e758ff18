using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Projections;
using Microsoft.Extensions.Logging.Abstractions;

namespace CartGraph.Tests.Integration.Projections;

/// <summary>
/// Events an older writer stored under schema version 0 (an item's price as <c>price</c>), appended through the store as
/// that writer did: the command handler's fold, live projection and a rebuild all read them as today's events.
/// </summary>
public sealed class OlderWriterProjectionSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    private static readonly CartItem Stored = new("SKU-123", "Item 123", 2, 25m);

    private async Task<TenantId> OlderCartAsync(string cartId)
    {
        var tenant = StoreDatabase.NewTenant();
        NewMessage[] messages =
        [
            new("CartCreated", """{"currency": "USD"}""", SchemaVersion: "0"),
            new("ItemAddedToCart", """{"item": {"sku": "SKU-123", "name": "Item 123", "quantity": 2, "price": 25}}""", SchemaVersion: "0"),
        ];
        (await db.Store.AppendAsync(tenant, cartId, "cart", messages, ExpectedVersion.NoStream))
            .IfLeft(e => throw new InvalidOperationException(e.ToString()));
        return tenant;
    }

    [Fact]
    public async Task The_command_handler_folds_version_0_events_and_decides_on_them()
    {
        var tenant = await OlderCartAsync("old");

        await Carts.HandleAsync(db, tenant, "old", Carts.Add(tenant, "old", "SKU-456", 1, 15m));
        await Carts.HandleAsync(db, tenant, "old", CartCommands.RemoveItemFromCart(tenant.Value, "old", "SKU-123", 1));
        var (state, version) = await Carts.FoldAsync(db, tenant, "old");

        Assert.Equal(4L, version);
        var active = Assert.IsType<CartState.ActiveCart>(state);
        Assert.Equal(new[] { Stored with { Quantity = 1 }, new CartItem("SKU-456", "Item SKU-456", 1, 15m) }, active.Items.Lines);
        Assert.Equal(40m, active.Items.Total);
    }

    [Fact]
    public async Task Live_projection_and_a_rebuild_both_read_version_0_events_as_todays()
    {
        var tenant = await OlderCartAsync("old");
        await Carts.Processor(db, tenant).CatchUpAsync();
        var live = await Carts.ReadModelAsync(db, tenant);

        await new ProjectionRebuild(db.Postgres, new ProjectionOptions(), NullLoggerFactory.Instance)
            .RunAsync(Carts.Projection, [tenant], new Progress<RebuildProgress>());
        var rebuilt = await Carts.ReadModelAsync(db, tenant);

        Assert.Equal(new[] { Stored }, Assert.IsType<CartState.ActiveCart>(live["old"].State).Items.Lines);
        Assert.Equal(2L, live["old"].Version);
        Assert.Equal(live["old"], rebuilt["old"]);
        Assert.Empty(await db.RowsAsync("SELECT 1 FROM cartgraph_parked_messages WHERE tenant_id = $1", tenant.Value));
    }
}
