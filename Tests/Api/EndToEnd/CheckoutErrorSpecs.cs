namespace CartGraph.Tests.Api.EndToEnd;

/// <summary>A checkout needs items, and a total the client gives must be the cart's.</summary>
public sealed class CheckoutErrorSpecs(ApiServer api) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task Checking_out_a_cart_never_filled_gets_CartIsEmptyError()
    {
        var shop = new Shop(api.Http, "e2e-empty-never-filled");
        await shop.Create("cart-1");

        await shop.RefusesWith("CartIsEmptyError", "CART_IS_EMPTY", "cart-1", "CheckOutCart", new { tenantId = shop.TenantId, cartId = "cart-1" });
    }

    [Fact]
    public async Task Checking_out_a_cart_emptied_gets_CartIsEmptyError()
    {
        var shop = new Shop(api.Http, "e2e-empty-emptied");
        await shop.Create("cart-1");
        await shop.Add("cart-1", "SKU-1");
        await shop.Empty("cart-1");

        await shop.RefusesWith("CartIsEmptyError", "CART_IS_EMPTY", "cart-1", "CheckOutCart", new { tenantId = shop.TenantId, cartId = "cart-1" });
    }

    [Fact]
    public async Task A_total_other_than_the_carts_gets_TotalMismatchError_and_the_right_one_checks_out()
    {
        var shop = new Shop(api.Http, "e2e-total-mismatch");
        await shop.Create("cart-1");
        await shop.Add("cart-1", "SKU-1", quantity: 2, unitPrice: 25m);

        var error = await shop.RefusesWith("TotalMismatchError", "TOTAL_MISMATCH", "cart-1", "CheckOutCart",
            new { tenantId = shop.TenantId, cartId = "cart-1", total = 49.99m });

        Assert.Equal((50m, 49.99m), ((decimal)error["expected"]!, (decimal)error["given"]!));
        var checkedOut = await shop.Succeeds("CheckOutCart", new { tenantId = shop.TenantId, cartId = "cart-1", total = 50m });
        Assert.Equal(("CHECKED_OUT", 50m), ((string)checkedOut["cart"]!["status"]!, (decimal)checkedOut["cart"]!["total"]!));
    }
}
