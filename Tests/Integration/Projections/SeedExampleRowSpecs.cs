using System.Text.Json.Nodes;
using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;

namespace CartGraph.Tests.Integration.Projections;

/// <summary>The seed's five steps leave exactly the seed's rows, row for row, on an empty database.</summary>
public sealed class SeedExampleRowSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    private const string CartId = SeedExample.CartId;
    private const string OrderId = SeedExample.OrderId;

    private static bool SameJson(string expected, string actual) => JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual));

    [Fact]
    public async Task The_seeds_five_steps_leave_the_seeds_rows()
    {
        var tenant = TenantId.Parse("seed");
        await Carts.HandleAsync(db, tenant, CartId, CartCommands.CreateCart(tenant.Value, CartId, "USD"));
        await Carts.HandleAsync(db, tenant, CartId, CartCommands.AddItemToCart(tenant.Value, CartId, "SKU-123", "Item 123", 2, 25));
        await Carts.HandleAsync(db, tenant, CartId, CartCommands.AddItemToCart(tenant.Value, CartId, "SKU-456", "Item 456", 1, 15));
        await Carts.HandleAsync(db, tenant, CartId, CartCommands.RemoveItemFromCart(tenant.Value, CartId, "SKU-123", 1));
        await Carts.HandleAsync(db, tenant, CartId, CartCommands.CheckOutCart(tenant.Value, CartId, OrderId, null));
        await Carts.Processor(db, tenant).CatchUpAsync();

        var messages = await db.RowsAsync("SELECT message_type, message_data::text FROM emt_messages ORDER BY global_position");
        var seed = SeedExample.Messages;
        Assert.Equal(seed.Select(m => m.Type), messages.Select(r => (string)r[0]!));
        foreach (var (expected, row) in seed.Zip(messages, (e, r) => (e, r)))
            Assert.True(SameJson(expected.Data, (string)row[1]!), (string)row[1]!);

        var streams = await db.RowsAsync("SELECT stream_id, stream_position, stream_type FROM emt_streams");
        Assert.Equal([CartId, 5L, "cart"], Assert.Single(streams));

        var bookmark = await db.RowsAsync(
            "SELECT last_processed_position FROM emt_subscriptions WHERE subscription_id = $1", $"carts-read-model:{CartId}");
        Assert.Equal(5L, Assert.Single(bookmark)[0]);

        var carts = await db.RowsAsync("SELECT cart_id, currency, items_json::text, status, version FROM carts");
        var cart = Assert.Single(carts);
        Assert.Equal([CartId, "USD"], cart[..2]);
        Assert.True(SameJson("""
            {"items": [{"sku": "SKU-123", "name": "Item 123", "quantity": 1, "unitPrice": 25},
                       {"sku": "SKU-456", "name": "Item 456", "quantity": 1, "unitPrice": 15}],
             "total": 40, "orderId": "38fc43c4-893d-4398-9290-2441490d0545"}
            """, (string)cart[2]!), (string)cart[2]!);
        Assert.Equal(["checkedOut", 5L], cart[3..]);
    }
}
