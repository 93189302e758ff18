namespace CartGraph.Tests.Api.EndToEnd;

/// <summary>The rules on a cart's lines, each answered by its own error type with the details of the case.</summary>
public sealed class ItemRuleErrorSpecs(ApiServer api) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task Removing_a_sku_the_cart_does_not_hold_gets_ItemNotInCartError()
    {
        var shop = new Shop(api.Http, "e2e-item-not-in-cart");
        await shop.Create("cart-1");
        await shop.Add("cart-1", "SKU-1");

        var error = await shop.RefusesWith("ItemNotInCartError", "ITEM_NOT_IN_CART", "cart-1", "RemoveItemFromCart",
            new { tenantId = shop.TenantId, cartId = "cart-1", sku = "SKU-9", quantity = 1 });

        Assert.Equal("SKU-9", (string?)error["sku"]);
    }

    [Fact]
    public async Task Removing_more_units_than_the_cart_holds_gets_InsufficientQuantityError()
    {
        var shop = new Shop(api.Http, "e2e-insufficient-quantity");
        await shop.Create("cart-1");
        await shop.Add("cart-1", "SKU-1", quantity: 2);

        var error = await shop.RefusesWith("InsufficientQuantityError", "INSUFFICIENT_QUANTITY", "cart-1", "RemoveItemFromCart",
            new { tenantId = shop.TenantId, cartId = "cart-1", sku = "SKU-1", quantity = 3 });

        Assert.Equal(("SKU-1", 3, 2), ((string)error["sku"]!, (int)error["requested"]!, (int)error["available"]!));
    }

    [Theory]
    [InlineData("Another name", 10.00)]
    [InlineData("Item SKU-1", 10.01)]
    public async Task Adding_a_sku_again_with_other_details_gets_ItemDetailsMismatchError(string name, double unitPrice)
    {
        var shop = new Shop(api.Http, $"e2e-details-mismatch-{(name == "Item SKU-1" ? "price" : "name")}");
        await shop.Create("cart-1");
        await shop.Add("cart-1", "SKU-1", unitPrice: 10m);

        var error = await shop.RefusesWith("ItemDetailsMismatchError", "ITEM_DETAILS_MISMATCH", "cart-1", "AddItemToCart",
            shop.AddInput("cart-1", "SKU-1", unitPrice: (decimal)unitPrice, name: name));

        Assert.Equal(("SKU-1", "Item SKU-1", 10m), ((string)error["sku"]!, (string)error["existingName"]!, (decimal)error["existingUnitPrice"]!));
    }

    [Fact]
    public async Task Going_over_ten_thousand_units_of_a_sku_gets_QuantityLimitExceededError()
    {
        var shop = new Shop(api.Http, "e2e-quantity-limit");
        await shop.Create("cart-1");
        await shop.Add("cart-1", "SKU-1", quantity: 10_000);

        var error = await shop.RefusesWith("QuantityLimitExceededError", "QUANTITY_LIMIT_EXCEEDED", "cart-1", "AddItemToCart",
            shop.AddInput("cart-1", "SKU-1", quantity: 1));

        Assert.Equal(("SKU-1", 10_000), ((string)error["sku"]!, (int)error["limit"]!));
    }

    [Fact]
    public async Task A_hundred_and_first_sku_gets_TooManyItemsError_while_more_of_a_held_sku_is_fine()
    {
        var shop = new Shop(api.Http, "e2e-too-many-items");
        await shop.Create("cart-1");
        for (var i = 1; i <= 100; i++) await shop.Add("cart-1", $"SKU-{i}");

        var error = await shop.RefusesWith("TooManyItemsError", "TOO_MANY_ITEMS", "cart-1", "AddItemToCart", shop.AddInput("cart-1", "SKU-101"));

        Assert.Equal(100, (int)error["limit"]!);
        var more = await shop.Add("cart-1", "SKU-100");
        Assert.Equal(2, (int)more["cart"]!["items"]![99]!["quantity"]!);
    }
}
