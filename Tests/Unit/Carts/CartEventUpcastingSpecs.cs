using CartGraph.Domain;
using CartGraph.Domain.Carts;
using LanguageExt;
using static CartGraph.Tests.Unit.Carts.CartSpec;
using static LanguageExt.Prelude;

namespace CartGraph.Tests.Unit.Carts;

/// <summary>
/// Schema version 0 is what an older writer following the seed's command field names stored: an item's price as
/// <c>price</c>. Every stored version reads as today's event; writes use today's version.
/// </summary>
public sealed class CartEventUpcastingSpecs
{
    private static Either<UnreadableEvent, Option<CartEvent>> Read(string type, string version, string json) =>
        CartEventJson.Codec.Deserialize(type, version, json);

    private static Either<UnreadableEvent, Option<CartEvent>> Event(CartEvent @event) => Right(Some(@event));

    [Fact]
    public void An_item_added_under_version_0_with_its_price_reads_as_todays_event_with_a_unit_price() =>
        Assert.Equal(
            Event(Added("SKU-123", 2, 25m, "Item 123")),
            Read("ItemAddedToCart", "0", """{"item": {"sku": "SKU-123", "name": "Item 123", "quantity": 2, "price": 25}}"""));

    [Fact]
    public void A_version_0_price_keeps_its_decimals_exactly() =>
        Assert.Equal(
            Event(Added("A", 1, 19.99m, "Item A")),
            Read("ItemAddedToCart", "0", """{"item": {"sku": "A", "name": "Item A", "quantity": 1, "price": 19.99}}"""));

    [Theory]
    [InlineData("CartCreated", """{"currency": "USD"}""")]
    [InlineData("ItemRemovedFromCart", """{"sku": "SKU-123", "quantity": 1}""")]
    [InlineData("CartEmptied", "null")]
    [InlineData("CartCheckedOut", """{"orderId": "38fc43c4-893d-4398-9290-2441490d0545", "total": 40}""")]
    [InlineData("CartCancelled", """{"reason": "Changed my mind"}""")]
    public void Every_other_event_of_version_0_has_the_shape_of_version_1(string type, string json)
    {
        Assert.True(Read(type, "0", json).Exists(e => e.IsSome));
        Assert.Equal(Read(type, "1", json), Read(type, "0", json));
    }

    [Theory]
    [InlineData("""{"item": {"sku": "A", "name": "Item A", "quantity": 1, "unitPrice": 2}}""")]
    [InlineData("""{"item": {"sku": "A", "quantity": 1, "price": 2}}""")]
    [InlineData("""{"item": {"sku": "A", "name": "Item A", "quantity": 1, "price": "2"}}""")]
    [InlineData("""{"item": null}""")]
    public void A_version_0_item_that_is_not_the_version_0_shape_is_unreadable_and_says_which_version(string json) =>
        Assert.StartsWith("ItemAddedToCart data of schema version '0' is not its shape",
            Read("ItemAddedToCart", "0", json).Match(e => $"read as {e}", unreadable => unreadable.Reason));

    [Fact]
    public void A_version_1_item_with_a_price_instead_of_a_unit_price_is_unreadable() =>
        Assert.True(Read("ItemAddedToCart", "1", """{"item": {"sku": "A", "name": "Item A", "quantity": 1, "price": 2}}""").IsLeft);

    [Theory]
    [InlineData("2")]
    [InlineData("")]
    [InlineData("v0")]
    public void A_version_no_upcaster_knows_is_unreadable_and_names_the_versions_it_reads(string version) =>
        Assert.Equal($"ItemAddedToCart of schema version '{version}' is unknown to this version, which reads versions 0, 1.",
            Read("ItemAddedToCart", version, """{"item": {"sku": "A", "name": "Item A", "quantity": 1, "price": 2}}""")
                .Match(e => $"read as {e}", unreadable => unreadable.Reason));

    [Fact]
    public void Writes_use_todays_version_and_shape()
    {
        Assert.Equal("1", CartEventJson.Codec.SchemaVersion);
        Assert.Equal("""{"item":{"sku":"A","name":"Item A","quantity":1,"unitPrice":2}}""",
            CartEventJson.Codec.Serialize(Added("A", 1, 2m, "Item A")));
    }
}
