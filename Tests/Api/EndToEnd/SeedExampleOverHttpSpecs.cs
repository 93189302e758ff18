using System.Text.Json.Nodes;

namespace CartGraph.Tests.Api.EndToEnd;

/// <summary>The seed's five steps as mutations over HTTP; the queries then return the seed's cart.</summary>
public sealed class SeedExampleOverHttpSpecs(ApiServer api) : IClassFixture<ApiServer>
{
    private const string CartId = SeedExample.CartId;
    private const string OrderId = SeedExample.OrderId;

    private async Task<JsonNode> Mutate(string operation, object input)
    {
        var data = await api.Http.DataOfAsync(Operations.Document(operation), new { input });
        var payload = data.AsObject().Single().Value!;
        Assert.Null(payload["errors"]);
        return payload;
    }

    [Fact]
    public async Task The_five_steps_as_mutations_leave_the_seeds_cart()
    {
        const string tenant = "seed-shop";
        var created = await Mutate("CreateCart", new { tenantId = tenant, cartId = CartId, currency = "USD" });
        Assert.Equal(1, (long)created["version"]!);
        Assert.Equal("ACTIVE", (string)created["cart"]!["status"]!);
        await Mutate("AddItemToCart", new { tenantId = tenant, cartId = CartId, item = new { sku = "SKU-123", name = "Item 123", quantity = 2, unitPrice = 25 } });
        await Mutate("AddItemToCart", new { tenantId = tenant, cartId = CartId, item = new { sku = "SKU-456", name = "Item 456", quantity = 1, unitPrice = 15 } });
        await Mutate("RemoveItemFromCart", new { tenantId = tenant, cartId = CartId, sku = "SKU-123", quantity = 1 });
        var checkedOut = await Mutate("CheckOutCart", new { tenantId = tenant, cartId = CartId, orderId = OrderId });

        var payloadCart = checkedOut["cart"]!;
        Assert.Equal("CHECKED_OUT", (string)payloadCart["status"]!);
        Assert.Equal(40m, (decimal)payloadCart["total"]!);
        Assert.Equal(5, (long)checkedOut["version"]!);

        var cart = (await api.Http.DataOfAsync(Operations.Document("Cart"), new { tenantId = tenant, cartId = CartId, atLeastVersion = 5 }))["cart"]!;
        Assert.Equal("CHECKED_OUT", (string)cart["status"]!);
        Assert.Equal("USD", (string)cart["currency"]!);
        Assert.Equal(40m, (decimal)cart["total"]!);
        Assert.Equal(OrderId, (string)cart["orderId"]!);
        Assert.Equal(5, (long)cart["version"]!);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            [{"sku": "SKU-123", "name": "Item 123", "quantity": 1, "unitPrice": 25, "lineTotal": 25},
             {"sku": "SKU-456", "name": "Item 456", "quantity": 1, "unitPrice": 15, "lineTotal": 15}]
            """), cart["items"]), cart["items"]!.ToJsonString());

        var history = await new Shop(api.Http, tenant).History(CartId);
        Assert.Equal(["CartCreated", "ItemAddedToCart", "ItemAddedToCart", "ItemRemovedFromCart", "CartCheckedOut"],
            history.Select(e => (string)e!["type"]!));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"total": 40, "orderId": "38fc43c4-893d-4398-9290-2441490d0545"}"""), history[4]!["data"]));

        var page = (await api.Http.DataOfAsync(Operations.Document("Carts"), new { tenantId = tenant }))["carts"]!;
        Assert.Equal([CartId], page["edges"]!.AsArray().Select(e => (string)e!["node"]!["cartId"]!));
    }
}
