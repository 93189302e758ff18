using CartGraph.Domain;
using CartGraph.Domain.Carts;
using LanguageExt;
using static CartGraph.Tests.Unit.Carts.CartSpec;

namespace CartGraph.Tests.Unit.Carts;

public sealed class CartEventJsonSpecs
{
    private static bool IsCartEvent(Either<UnreadableEvent, Option<CartEvent>> read) => read.Exists(e => e.IsSome);

    [Fact]
    public void CartEmptied_is_stored_as_json_null_and_read_from_null_or_an_object()
    {
        Assert.Equal("null", CartEventJson.Serialize(new CartEvent.CartEmptied()));
        Assert.True(IsCartEvent(CartEventJson.Deserialize("CartEmptied", "{}")));
        Assert.True(IsCartEvent(CartEventJson.Deserialize("CartEmptied", "null")));
    }

    [Fact]
    public void An_unknown_type_is_not_a_cart_event() =>
        Assert.True(CartEventJson.Deserialize("InvoiceSent", """{"amount": 3}""").Exists(e => e.IsNone));

    [Theory]
    [InlineData("ItemAddedToCart", """{"item": null}""")]
    [InlineData("ItemAddedToCart", """{"item": {"sku": "A", "quantity": 1, "unitPrice": 2}}""")]
    [InlineData("ItemRemovedFromCart", """{"sku": "A", "quantity": "1"}""")]
    [InlineData("CartCreated", """{}""")]
    [InlineData("CartCreated", "null")]
    [InlineData("CartCancelled", "not json")]
    public void A_known_type_with_malformed_data_is_unreadable_as_a_value_that_says_why(string type, string data)
    {
        var read = CartEventJson.Deserialize(type, data);

        Assert.True(read.IsLeft);
        Assert.StartsWith($"{type} data is not its shape", read.Match(_ => "", unreadable => unreadable.Reason));
    }

    [Fact]
    public void A_schema_version_this_version_does_not_know_is_unreadable()
    {
        var read = CartEventJson.Deserialize("CartCreated", "2", """{"currency": "USD"}""");

        Assert.Equal("CartCreated of schema version '2' is unknown to this version, which reads versions 0, 1.",
            read.Match(_ => "", unreadable => unreadable.Reason));
        Assert.True(CartEventJson.Deserialize("InvoiceSent", "2", "{}").Exists(e => e.IsNone));
    }

    [Fact]
    public void Money_keeps_its_decimals_exactly() =>
        Assert.Equal(
            """{"item":{"sku":"A","name":"Item A","quantity":3,"unitPrice":19.99}}""",
            CartEventJson.Serialize(Added("A", 3, 19.99m)));
}
