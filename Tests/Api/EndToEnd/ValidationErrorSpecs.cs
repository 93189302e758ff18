using System.Text.Json.Nodes;

namespace CartGraph.Tests.Api.EndToEnd;

/// <summary>Invalid input comes back as one ValidationError per invalid field, all at once, and writes nothing.</summary>
public sealed class ValidationErrorSpecs(ApiServer api) : IClassFixture<ApiServer>
{
    private static void AssertFields(JsonArray errors, params string[] fields)
    {
        Assert.All(errors, e =>
        {
            Assert.Equal("ValidationError", (string?)e!["__typename"]);
            Assert.Equal("VALIDATION_ERROR", (string?)e["code"]);
            Assert.StartsWith((string)e["field"]!, (string?)e["message"]);
        });
        Assert.Equal(fields.Order(), errors.Select(e => (string)e!["field"]!).Order());
    }

    [Fact]
    public async Task Every_invalid_field_of_an_item_is_reported_at_once_and_nothing_is_added()
    {
        var shop = new Shop(api.Http, "e2e-validation-item");
        await shop.Create("cart-1");

        var errors = await shop.Refuses("cart-1", "AddItemToCart", new
        {
            tenantId = shop.TenantId,
            cartId = "cart-1",
            item = new { sku = "", name = new string('n', 201), quantity = 0, unitPrice = 1.234m },
        });

        AssertFields(errors, "item.sku", "item.name", "item.quantity", "item.unitPrice");
    }

    [Fact]
    public async Task Every_invalid_id_of_a_new_cart_is_reported_with_its_currency()
    {
        var shop = new Shop(api.Http, "e2e-validation-create");

        var payload = await shop.PayloadOf("CreateCart", new { tenantId = "Not A Tenant!", cartId = new string('c', 65), currency = "usd" });

        Assert.Null(payload["cart"]);
        AssertFields(payload["errors"]!.AsArray(), "tenantId", "cartId", "currency");
    }

    [Theory]
    [InlineData("RemoveItemFromCart", """{"sku": "", "quantity": 10001}""", "sku,quantity")]
    [InlineData("CheckOutCart", """{"orderId": "", "total": -1}""", "orderId,total")]
    [InlineData("CancelCart", """{"reason": ""}""", "reason")]
    public async Task Each_command_reports_its_own_invalid_fields_and_writes_nothing(string operation, string fields, string invalid)
    {
        var shop = new Shop(api.Http, $"e2e-validation-{operation.ToLowerInvariant()}");
        await shop.Create("cart-1");
        await shop.Add("cart-1", "SKU-1", quantity: 2);
        var input = JsonNode.Parse(fields)!.AsObject();
        input["tenantId"] = shop.TenantId;
        input["cartId"] = "cart-1";

        var errors = await shop.Refuses("cart-1", operation, input);

        AssertFields(errors, invalid.Split(','));
    }
}
