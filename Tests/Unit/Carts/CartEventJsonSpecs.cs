using System.Text.Json;
using CartGraph.Domain.Carts;
using static CartGraph.Tests.Unit.Carts.CartSpec;

namespace CartGraph.Tests.Unit.Carts;

public sealed class CartEventJsonSpecs
{
    [Fact]
    public void CartEmptied_is_stored_as_json_null_and_read_from_null_or_an_object()
    {
        Assert.Equal("null", CartEventJson.Serialize(new CartEvent.CartEmptied()));
        Assert.True(CartEventJson.Deserialize("CartEmptied", "{}").IsSome);
        Assert.True(CartEventJson.Deserialize("CartEmptied", "null").IsSome);
    }

    [Fact]
    public void An_unknown_type_is_not_a_cart_event() =>
        Assert.True(CartEventJson.Deserialize("InvoiceSent", """{"amount": 3}""").IsNone);

    [Theory]
    [InlineData("ItemAddedToCart", """{"item": null}""")]
    [InlineData("ItemAddedToCart", """{"item": {"sku": "A", "quantity": 1, "unitPrice": 2}}""")]
    [InlineData("ItemRemovedFromCart", """{"sku": "A", "quantity": "1"}""")]
    [InlineData("CartCreated", """{}""")]
    [InlineData("CartCreated", "null")]
    [InlineData("CartCancelled", "not json")]
    public void A_known_type_with_malformed_data_is_refused_loudly(string type, string data) =>
        Assert.ThrowsAny<JsonException>(() => CartEventJson.Deserialize(type, data));

    [Fact]
    public void Money_keeps_its_decimals_exactly() =>
        Assert.Equal(
            """{"item":{"sku":"A","name":"Item A","quantity":3,"unitPrice":19.99}}""",
            CartEventJson.Serialize(Added("A", 3, 19.99m)));
}
