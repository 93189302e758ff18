namespace CartGraph.Tests.Api.EndToEnd;

/// <summary>Two API instances on one database: a change made through either reaches subscribers on both.</summary>
public sealed class TwoInstancesSpecs(ApiServer api) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task A_mutation_through_one_instance_reaches_a_cartChanged_subscriber_on_the_other()
    {
        var other = await api.StartAnotherAsync();
        var shop = new Shop(api.Http, "e2e-two-instances");
        await shop.Create("cart-1");
        await shop.Cart("cart-1", atLeastVersion: 1); // else the subscriber may see the creation first
        await using var subscriber = await Subscriber.SubscribeAsync(Bearer.WebSocketOf(other), "CartChanged", new { tenantId = shop.TenantId, cartId = "cart-1" });

        await shop.Add("cart-1", "SKU-1", quantity: 3);
        var pushed = await subscriber.NextAsync();

        Assert.Equal((2L, 3), ((long)pushed["version"]!, (int)pushed["items"]![0]!["quantity"]!));
    }

    [Fact]
    public async Task A_mutation_through_the_other_instance_reaches_a_cartEvents_subscriber_on_the_first()
    {
        using var otherHttp = TestTokens.ClientFor(await api.StartAnotherAsync());
        var shop = new Shop(otherHttp, "e2e-two-instances-back");
        await using var subscriber = await Subscriber.SubscribeAsync(api.WebSocket, "CartEvents", new { tenantId = shop.TenantId, cartId = (string?)null });

        await shop.Create("cart-1", "EUR");
        var pushed = await subscriber.NextAsync();

        Assert.Equal(("cart-1", "CartCreated", "EUR"), ((string)pushed["cartId"]!, (string)pushed["type"]!, (string)pushed["data"]!["currency"]!));
    }

    [Fact]
    public async Task A_cart_archived_through_one_instance_takes_no_command_through_the_other()
    {
        using var otherHttp = TestTokens.ClientFor(await api.StartAnotherAsync());
        var shop = new Shop(api.Http, "e2e-two-instances-archive");
        var throughOther = new Shop(otherHttp, shop.TenantId);
        await throughOther.Create("cart-1");
        await throughOther.Add("cart-1", "SKU-1");

        await shop.Archive("cart-1");

        // The other instance last saw the cart active (its command handler may remember it so): the store refuses the append.
        await throughOther.RefusesWith("CartNotFoundError", "CART_NOT_FOUND", "cart-1", "AddItemToCart", throughOther.AddInput("cart-1", "SKU-2"));
    }

    [Fact]
    public async Task A_cart_read_through_one_instance_is_read_anew_there_once_the_other_changed_it()
    {
        using var otherHttp = TestTokens.ClientFor(await api.StartAnotherAsync());
        var shop = new Shop(api.Http, "e2e-two-instances-read");
        var throughOther = new Shop(otherHttp, shop.TenantId);
        await shop.Create("cart-1");
        Assert.Equal(1, (long)(await shop.Cart("cart-1", atLeastVersion: 1))!["version"]!); // now kept by this instance

        await throughOther.Add("cart-1", "SKU-1", quantity: 2);

        // Without waiting for a version: the change announced by the projection must replace what this instance kept.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        long version;
        while ((version = (long)(await shop.Cart("cart-1"))!["version"]!) < 2 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(2, version);
    }
}
