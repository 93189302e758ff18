using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using LanguageExt;

namespace CartGraph.Tests.Unit.Carts;

/// <summary>Raw input becomes a command only when every field is valid; every problem is reported at once.</summary>
public sealed class CartCommandValidationSpecs
{
    private static string[] FailingFields(Validation<InvalidInput, CartCommand> command) =>
        command.Match(_ => [], errors => errors.Map(e => e.Field).ToArray());

    [Theory]
    [InlineData("acme")]
    [InlineData("t")]
    [InlineData("0tenant")]
    [InlineData("tenant-1_eu")]
    [InlineData("a23456789012345678901234567890123456789012345678901234567890123")]
    public void Valid_tenant_ids_are_accepted(string tenantId) =>
        Assert.Empty(FailingFields(CartCommands.EmptyCart(tenantId, "cart-1")));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Acme")]
    [InlineData("-acme")]
    [InlineData("_acme")]
    [InlineData("ac me")]
    [InlineData("emt:default")]
    [InlineData("acme'; drop table emt_messages; --")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234")]
    public void Invalid_tenant_ids_are_rejected(string? tenantId) =>
        Assert.Equal(["tenantId"], FailingFields(CartCommands.EmptyCart(tenantId, "cart-1")));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("cart\n1")]
    [InlineData("cart\u00001")]
    [InlineData("a2345678901234567890123456789012345678901234567890123456789012345")]
    public void Invalid_cart_ids_are_rejected(string? cartId) =>
        Assert.Equal(["cartId"], FailingFields(CartCommands.EmptyCart("acme", cartId)));

    [Theory]
    [InlineData("de9f2d24-2475-49dc-88d7-652028650204")]
    [InlineData("Cart #1 of ünïcødé")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234")]
    public void Cart_ids_of_up_to_64_printable_characters_are_accepted(string cartId) =>
        Assert.Empty(FailingFields(CartCommands.EmptyCart("acme", cartId)));

    [Theory]
    [InlineData("USD")]
    [InlineData("EUR")]
    public void Three_upper_case_letters_are_a_currency(string currency) =>
        Assert.Empty(FailingFields(CartCommands.CreateCart("acme", "cart-1", currency)));

    [Theory]
    [InlineData(null)]
    [InlineData("usd")]
    [InlineData("US")]
    [InlineData("USDT")]
    [InlineData("U$D")]
    public void Anything_else_is_not_a_currency(string? currency) =>
        Assert.Equal(["currency"], FailingFields(CartCommands.CreateCart("acme", "cart-1", currency)));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(Quantity.Max + 1)]
    [InlineData(long.MaxValue)]
    public void Only_quantities_from_1_to_the_limit_are_allowed(long quantity)
    {
        Assert.Equal(["item.quantity"], FailingFields(CartCommands.AddItemToCart("acme", "c", "SKU", "Name", quantity, 1)));
        Assert.Equal(["quantity"], FailingFields(CartCommands.RemoveItemFromCart("acme", "c", "SKU", quantity)));
    }

    [Theory]
    [InlineData("-0.01")]
    [InlineData("0.001")]
    [InlineData("1000000.01")]
    public void Unit_prices_are_not_negative_have_at_most_two_decimals_and_are_bounded(string unitPrice) =>
        Assert.Equal(["item.unitPrice"],
            FailingFields(CartCommands.AddItemToCart("acme", "c", "SKU", "Name", 1, decimal.Parse(unitPrice, System.Globalization.CultureInfo.InvariantCulture))));

    [Fact]
    public void A_checkout_total_may_exceed_a_unit_price_up_to_the_largest_cart() =>
        Assert.Empty(FailingFields(CartCommands.CheckOutCart("acme", "c", "order-1", Money.MaxTotal)));

    [Fact]
    public void Text_with_a_lone_surrogate_is_rejected_since_json_would_change_it() =>
        Assert.Equal(["item.name"], FailingFields(CartCommands.AddItemToCart("acme", "c", "SKU", "bad \uD800 name", 1, 1)));

    [Fact]
    public void Text_with_a_surrogate_pair_is_accepted() =>
        Assert.Empty(FailingFields(CartCommands.AddItemToCart("acme", "c", "SKU", "emoji \uD83D\uDED2 cart", 1, 1)));

    [Fact]
    public void A_negative_checkout_total_is_rejected() =>
        Assert.Equal(["total"], FailingFields(CartCommands.CheckOutCart("acme", "c", "order-1", -1m)));

    [Fact]
    public void Every_problem_of_an_item_is_reported_at_once() =>
        Assert.Equal(
            ["tenantId", "cartId", "item.sku", "item.name", "item.quantity", "item.unitPrice"],
            FailingFields(CartCommands.AddItemToCart("Bad Tenant", "", "", new string('n', 201), 0, -5)));

    [Fact]
    public void Text_fields_are_bounded()
    {
        Assert.Equal(["sku"], FailingFields(CartCommands.RemoveItemFromCart("acme", "c", new string('s', 65), 1)));
        Assert.Equal(["orderId"], FailingFields(CartCommands.CheckOutCart("acme", "c", new string('o', 65), null)));
        Assert.Equal(["reason"], FailingFields(CartCommands.CancelCart("acme", "c", new string('r', 501))));
        Assert.Equal(["reason"], FailingFields(CartCommands.CancelCart("acme", "c", "")));
    }

    [Fact]
    public void Unit_prices_are_normalized_so_equal_amounts_serialize_alike() =>
        CartCommands.AddItemToCart("acme", "c", "SKU", "Name", 1, 25.00m).Match(
            Succ: command => Assert.Equal("25", ((CartCommand.AddItemToCart)command).Item.UnitPrice.ToString()),
            Fail: errors => Assert.Fail(string.Join("; ", errors)));
}
