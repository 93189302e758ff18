namespace CartGraph.Tests.Api.EndToEnd;

/// <summary>Commands need a cart that exists, and creating one needs its id to be free.</summary>
public sealed class CartExistenceErrorSpecs(ApiServer api) : IClassFixture<ApiServer>
{
    [Theory]
    [InlineData("AddItemToCart")]
    [InlineData("RemoveItemFromCart")]
    [InlineData("EmptyCart")]
    [InlineData("CheckOutCart")]
    [InlineData("CancelCart")]
    [InlineData("ArchiveCart")]
    public async Task A_command_on_a_cart_that_does_not_exist_gets_CartNotFoundError(string operation)
    {
        var shop = new Shop(api.Http, $"e2e-not-found-{operation.ToLowerInvariant()}");

        await shop.RefusesWith("CartNotFoundError", "CART_NOT_FOUND", "missing", operation, shop.InputOf(operation, "missing"));

        Assert.Empty(await shop.History("missing"));
        Assert.Null(await shop.Cart("missing"));
    }

    [Fact]
    public async Task Creating_a_cart_whose_id_is_taken_gets_CartAlreadyExistsError()
    {
        var shop = new Shop(api.Http, "e2e-already-exists");
        await shop.Create("cart-1", "EUR");

        await shop.RefusesWith("CartAlreadyExistsError", "CART_ALREADY_EXISTS", "cart-1", "CreateCart",
            new { tenantId = shop.TenantId, cartId = "cart-1", currency = "USD" });

        var cart = await shop.Cart("cart-1", atLeastVersion: 1);
        Assert.Equal(("EUR", 1L), ((string)cart!["currency"]!, (long)cart["version"]!));
    }

    [Fact]
    public async Task The_same_cart_id_in_another_tenant_is_another_cart()
    {
        var shop = new Shop(api.Http, "e2e-already-exists-here");
        var elsewhere = new Shop(api.Http, "e2e-already-exists-there");
        await shop.Create("cart-1");

        var created = await elsewhere.Create("cart-1", "EUR");

        Assert.Equal(1L, (long)created["version"]!);
        Assert.Equal("e2e-already-exists-there", (string?)created["cart"]!["tenantId"]);
    }
}
