using System.Text.Json.Nodes;
using Npgsql;

namespace CartGraph.Tests.Api.EndToEnd;

/// <summary><c>cartEvents</c> over a real WebSocket: each new event, of one cart or of a whole tenant, in commit order.</summary>
public sealed class CartEventsSubscriptionSpecs(ApiServer api) : IClassFixture<ApiServer>
{
    private Task<Subscriber> CartEvents(Shop shop, string? cartId) =>
        Subscriber.SubscribeAsync(api.WebSocket, "CartEvents", new { tenantId = shop.TenantId, cartId });

    [Fact]
    public async Task Events_of_one_cart_arrive_each_in_stream_order_and_no_other_carts()
    {
        var shop = new Shop(api.Http, "e2e-events-one-cart");
        await shop.Create("cart-1");
        await shop.Create("cart-2");
        await using var subscriber = await CartEvents(shop, "cart-1");

        await shop.Add("cart-1", "SKU-1", quantity: 2, unitPrice: 25m);
        await shop.Add("cart-2", "SKU-9");
        await shop.Add("cart-1", "SKU-2", quantity: 1, unitPrice: 2.5m);
        await shop.Remove("cart-1", "SKU-1");
        await shop.Cancel("cart-2");
        await shop.Empty("cart-1");
        await shop.Cancel("cart-1", "Bye");
        var events = await subscriber.NextAsync(5);

        Assert.All(events, e => Assert.Equal("cart-1", (string?)e["cartId"]));
        Assert.Equal(["ItemAddedToCart", "ItemAddedToCart", "ItemRemovedFromCart", "CartEmptied", "CartCancelled"], events.Select(e => (string)e["type"]!));
        Assert.Equal([2L, 3L, 4L, 5L, 6L], events.Select(e => (long)e["streamPosition"]!));
        var global = events.Select(e => (long)e["globalPosition"]!).ToList();
        Assert.Equal(global.Order().Distinct(), global);
        string?[] data =
        [
            """{"item": {"sku": "SKU-1", "name": "Item SKU-1", "quantity": 2, "unitPrice": 25}}""",
            """{"item": {"sku": "SKU-2", "name": "Item SKU-2", "quantity": 1, "unitPrice": 2.5}}""",
            """{"sku": "SKU-1", "quantity": 1}""",
            null,
            """{"reason": "Bye"}""",
        ];
        for (var i = 0; i < data.Length; i++)
            Assert.True(JsonNode.DeepEquals(data[i] is { } json ? JsonNode.Parse(json) : null, events[i]["data"]), events[i].ToJsonString());
    }

    [Fact]
    public async Task Without_a_cart_id_events_of_every_cart_of_the_tenant_arrive_and_none_of_another_tenant()
    {
        var shop = new Shop(api.Http, "e2e-events-tenant");
        var otherShop = new Shop(api.Http, "e2e-events-other-tenant");
        await using var subscriber = await CartEvents(shop, null);

        await shop.Create("cart-a");
        await otherShop.Create("elsewhere-1");
        await shop.Create("cart-b");
        await shop.Add("cart-a", "SKU-1");
        await otherShop.Add("elsewhere-1", "SKU-1");
        await otherShop.Create("elsewhere-2");
        await shop.Add("cart-b", "SKU-2");
        await shop.Create("cart-last");
        // Everything the other tenant did was committed before cart-last was created: a leak would show up first.
        var events = await subscriber.NextUntilAsync(e => (string?)e["cartId"] == "cart-last");

        Assert.Equal(
            [("cart-a", "CartCreated", 1L), ("cart-b", "CartCreated", 1L), ("cart-a", "ItemAddedToCart", 2L), ("cart-b", "ItemAddedToCart", 2L), ("cart-last", "CartCreated", 1L)],
            events.Select(e => ((string)e["cartId"]!, (string)e["type"]!, (long)e["streamPosition"]!)));
    }

    [Theory]
    [InlineData("cart-1")]
    [InlineData(null)]
    public async Task Events_committed_before_subscribing_are_history_even_while_an_older_transaction_runs(string? cartId)
    {
        var shop = new Shop(api.Http, $"e2e-events-history-{(cartId is null ? "tenant" : "cart")}");
        // Any transaction running anywhere in the cluster holds consumers' horizon back, e.g. a slow writer's.
        await using var older = new NpgsqlConnection(api.ConnectionString);
        await older.OpenAsync();
        await using (var transaction = await older.BeginTransactionAsync())
        {
            await using (var takeAnId = new NpgsqlCommand("SELECT pg_current_xact_id()", older, transaction)) await takeAnId.ExecuteScalarAsync();
            await shop.Create("cart-1");
            await using var subscriber = await CartEvents(shop, cartId);
            await transaction.RollbackAsync();

            await shop.Add("cart-1", "SKU-1");
            var first = await subscriber.NextAsync();

            Assert.Equal(("ItemAddedToCart", 2L), ((string)first["type"]!, (long)first["streamPosition"]!));
        }
    }
}
