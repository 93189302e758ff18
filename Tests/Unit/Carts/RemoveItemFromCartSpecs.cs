using CartGraph.Domain.Carts;
using static CartGraph.Tests.Unit.Carts.CartSpec;

namespace CartGraph.Tests.Unit.Carts;

public sealed class RemoveItemFromCartSpecs
{
    [Fact]
    public void Some_units_of_an_item_are_removed() =>
        Given(Created(), Added("SKU-123", 2, 25)).When(RemoveItem("SKU-123", 1)).Then(Removed("SKU-123", 1));

    [Fact]
    public void Every_unit_of_an_item_can_be_removed() =>
        Given(Created(), Added("SKU-123", 2, 25)).When(RemoveItem("SKU-123", 2)).Then(Removed("SKU-123", 2));

    [Fact]
    public void Removing_more_than_the_cart_holds_fails() =>
        Given(Created(), Added("SKU-123", 2, 25), Added("SKU-123", 1, 25))
            .When(RemoveItem("SKU-123", 4))
            .ThenFails(new CartError.InsufficientQuantity("SKU-123", 4, 3));

    [Fact]
    public void Removing_a_sku_the_cart_does_not_hold_fails() =>
        Given(Created(), Added("SKU-123", 2, 25)).When(RemoveItem("SKU-456", 1)).ThenFails(new CartError.ItemNotInCart("SKU-456"));

    [Fact]
    public void Removing_a_sku_whose_units_were_all_removed_fails() =>
        Given(Created(), Added("SKU-123", 2, 25), Removed("SKU-123", 2))
            .When(RemoveItem("SKU-123", 1))
            .ThenFails(new CartError.ItemNotInCart("SKU-123"));

    [Fact]
    public void Removing_from_an_emptied_cart_fails() =>
        Given(Created(), Added("SKU-123", 2, 25), new CartEvent.CartEmptied())
            .When(RemoveItem("SKU-123", 1))
            .ThenFails(new CartError.ItemNotInCart("SKU-123"));

    [Fact]
    public void Removing_from_a_cart_that_does_not_exist_fails() =>
        Given().When(RemoveItem("SKU-123", 1)).ThenFails(new CartError.CartNotFound());
}
