using CartGraph.Domain.Carts;
using CartGraph.Domain.Values;
using static CartGraph.Tests.Unit.Carts.CartSpec;

namespace CartGraph.Tests.Unit.Carts;

public sealed class AddItemToCartSpecs
{
    [Fact]
    public void An_item_is_added_to_an_active_cart() =>
        Given(Created()).When(AddItem("SKU-123", 2, 25, "Item 123")).Then(Added("SKU-123", 2, 25, "Item 123"));

    [Fact]
    public void Adding_to_a_cart_that_does_not_exist_fails() =>
        Given().When(AddItem("SKU-123", 1, 25)).ThenFails(new CartError.CartNotFound());

    [Fact]
    public void Adding_a_sku_already_in_the_cart_adds_to_its_quantity() =>
        Given(Created(), Added("SKU-123", 2, 25)).When(AddItem("SKU-123", 3, 25)).Then(Added("SKU-123", 3, 25));

    [Fact]
    public void The_same_sku_at_another_unit_price_fails() =>
        Given(Created(), Added("SKU-123", 2, 25, "Item 123"))
            .When(AddItem("SKU-123", 1, 24.99m, "Item 123"))
            .ThenFails(new CartError.ItemDetailsMismatch("SKU-123", "Item 123", 25));

    [Fact]
    public void The_same_sku_under_another_name_fails() =>
        Given(Created(), Added("SKU-123", 2, 25, "Item 123"))
            .When(AddItem("SKU-123", 1, 25, "Another name"))
            .ThenFails(new CartError.ItemDetailsMismatch("SKU-123", "Item 123", 25));

    [Fact]
    public void Merging_beyond_the_quantity_limit_fails() =>
        Given(Created(), Added("SKU-123", Quantity.Max - 1, 25))
            .When(AddItem("SKU-123", 2, 25))
            .ThenFails(new CartError.QuantityLimitExceeded("SKU-123", Quantity.Max));

    [Fact]
    public void Merging_up_to_the_quantity_limit_is_accepted() =>
        Given(Created(), Added("SKU-123", Quantity.Max - 1, 25))
            .When(AddItem("SKU-123", 1, 25))
            .Then(Added("SKU-123", 1, 25));

    [Fact]
    public void A_cart_holds_a_bounded_number_of_skus()
    {
        var full = Enumerable.Range(0, Cart.MaxLines).Select(i => (CartEvent)Added($"SKU-{i}", 1, 1));
        Given([Created(), .. full]).When(AddItem("SKU-new", 1, 1)).ThenFails(new CartError.TooManyItems(Cart.MaxLines));
    }

    [Fact]
    public void A_full_cart_still_takes_more_of_a_sku_it_holds()
    {
        var full = Enumerable.Range(0, Cart.MaxLines).Select(i => (CartEvent)Added($"SKU-{i}", 1, 1));
        Given([Created(), .. full]).When(AddItem("SKU-0", 1, 1)).Then(Added("SKU-0", 1, 1));
    }
}
