using System.Text.Json.Nodes;

namespace CartGraph.Tests.Api.EndToEnd;

/// <summary><c>cartChanged</c> over a real WebSocket: the cart's new state after each change made over HTTP.</summary>
public sealed class CartChangedSubscriptionSpecs(ApiServer api) : IClassFixture<ApiServer>
{
    private Task<Subscriber> CartChanged(Shop shop, string cartId) =>
        Subscriber.SubscribeAsync(api.WebSocket, "CartChanged", new { tenantId = shop.TenantId, cartId });

    /// <summary>
    /// Creates the cart and waits until the read model holds it: a subscription pushes every change the read model
    /// applies once it watches, so one still catching up with the creation would push that first.
    /// </summary>
    private static async Task Created(Shop shop, string cartId)
    {
        await shop.Create(cartId);
        Assert.NotNull(await shop.Cart(cartId, atLeastVersion: 1));
    }

    private static IEnumerable<(string, int)> LinesOf(JsonNode cart) =>
        cart["items"]!.AsArray().Select(i => ((string)i!["sku"]!, (int)i["quantity"]!));

    [Fact]
    public async Task Each_mutation_over_HTTP_pushes_the_carts_new_state_in_order()
    {
        var shop = new Shop(api.Http, "e2e-changed-each");
        await Created(shop, "cart-1");
        await using var subscriber = await CartChanged(shop, "cart-1");

        await shop.Add("cart-1", "SKU-1", quantity: 2, unitPrice: 25m);
        var added = await subscriber.NextAsync();
        await shop.Add("cart-1", "SKU-2", quantity: 1, unitPrice: 15m);
        var addedAgain = await subscriber.NextAsync();
        await shop.Remove("cart-1", "SKU-1");
        var removed = await subscriber.NextAsync();
        await shop.CheckOut("cart-1", "order-1");
        var checkedOut = await subscriber.NextAsync();

        Assert.Equal((2L, "ACTIVE", 50m), ((long)added["version"]!, (string)added["status"]!, (decimal)added["total"]!));
        Assert.Equal([("SKU-1", 2)], LinesOf(added));
        Assert.Equal((3L, 65m), ((long)addedAgain["version"]!, (decimal)addedAgain["total"]!));
        Assert.Equal([("SKU-1", 2), ("SKU-2", 1)], LinesOf(addedAgain));
        Assert.Equal((4L, 40m), ((long)removed["version"]!, (decimal)removed["total"]!));
        Assert.Equal([("SKU-1", 1), ("SKU-2", 1)], LinesOf(removed));
        Assert.Equal((5L, "CHECKED_OUT", "order-1", 40m),
            ((long)checkedOut["version"]!, (string)checkedOut["status"]!, (string)checkedOut["orderId"]!, (decimal)checkedOut["total"]!));
        Assert.All([added, addedAgain, removed, checkedOut], c => Assert.Equal(("cart-1", shop.TenantId), ((string)c["cartId"]!, (string)c["tenantId"]!)));
    }

    [Fact]
    public async Task A_burst_of_mutations_arrives_in_version_order_up_to_the_last()
    {
        var shop = new Shop(api.Http, "e2e-changed-burst");
        await Created(shop, "cart-1");
        await using var subscriber = await CartChanged(shop, "cart-1");

        for (var i = 1; i <= 5; i++) await shop.Add("cart-1", $"SKU-{i}");
        var pushed = await subscriber.NextUntilAsync(c => (long)c["version"]! == 6);

        // Changes close together may come as one state (the latest), but never out of order or twice.
        var versions = pushed.Select(c => (long)c["version"]!).ToList();
        Assert.Equal(versions.Order().Distinct(), versions);
        Assert.Equal(5, pushed[^1]["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Changes_of_other_carts_are_not_pushed()
    {
        var shop = new Shop(api.Http, "e2e-changed-other");
        await Created(shop, "cart-1");
        await shop.Create("cart-2");
        await using var subscriber = await CartChanged(shop, "cart-1");

        await shop.Add("cart-2", "SKU-2");
        await shop.Cancel("cart-2");
        await shop.Add("cart-1", "SKU-1");
        var pushed = await subscriber.NextAsync();

        Assert.Equal(("cart-1", 2L), ((string)pushed["cartId"]!, (long)pushed["version"]!));
    }

    [Fact]
    public async Task Archiving_the_cart_completes_its_subscription()
    {
        var shop = new Shop(api.Http, "e2e-changed-archive");
        await Created(shop, "cart-1");
        await using var subscriber = await CartChanged(shop, "cart-1");

        await shop.Archive("cart-1");

        await subscriber.CompletedAsync();
    }
}
