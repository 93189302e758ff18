namespace CartGraph.Tests.Api.EndToEnd;

/// <summary>A checked-out or cancelled cart takes no more commands: CartClosedError, with the status it is in.</summary>
public sealed class ClosedCartErrorSpecs(ApiServer api) : IClassFixture<ApiServer>
{
    private static object InputOf(string operation, string tenantId, string cartId) => operation switch
    {
        "CreateCart" => new { tenantId, cartId, currency = "USD" },
        "AddItemToCart" => new { tenantId, cartId, item = new { sku = "SKU-2", name = "Item 2", quantity = 1, unitPrice = 5m } },
        "RemoveItemFromCart" => new { tenantId, cartId, sku = "SKU-1", quantity = 1 },
        "CancelCart" => new { tenantId, cartId, reason = "Too late" },
        _ => new { tenantId, cartId },
    };

    [Theory]
    [InlineData("CHECKED_OUT", "CreateCart")]
    [InlineData("CHECKED_OUT", "AddItemToCart")]
    [InlineData("CHECKED_OUT", "RemoveItemFromCart")]
    [InlineData("CHECKED_OUT", "EmptyCart")]
    [InlineData("CHECKED_OUT", "CheckOutCart")]
    [InlineData("CHECKED_OUT", "CancelCart")]
    [InlineData("CANCELLED", "CreateCart")]
    [InlineData("CANCELLED", "AddItemToCart")]
    [InlineData("CANCELLED", "RemoveItemFromCart")]
    [InlineData("CANCELLED", "EmptyCart")]
    [InlineData("CANCELLED", "CheckOutCart")]
    [InlineData("CANCELLED", "CancelCart")]
    public async Task A_command_on_a_closed_cart_gets_CartClosedError_with_its_status(string status, string operation)
    {
        var shop = new Shop(api.Http, $"e2e-closed-{status.ToLowerInvariant().Replace('_', '-')}-{operation.ToLowerInvariant()}");
        await shop.Create("cart-1");
        await shop.Add("cart-1", "SKU-1", quantity: 2);
        var closed = status == "CHECKED_OUT" ? await shop.CheckOut("cart-1", "order-1") : await shop.Cancel("cart-1");

        var error = await shop.RefusesWith("CartClosedError", "CART_CLOSED", "cart-1", operation, InputOf(operation, shop.TenantId, "cart-1"));

        Assert.Equal(status, (string?)error["status"]);
        var cart = await shop.Cart("cart-1", atLeastVersion: (long)closed["version"]!);
        Assert.Equal((status, 3L, 2), ((string)cart!["status"]!, (long)cart["version"]!, (int)cart["items"]![0]!["quantity"]!));
    }
}
